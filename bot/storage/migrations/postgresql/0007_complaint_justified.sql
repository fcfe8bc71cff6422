-- 7: whether a closed complaint was justified (Appendix 3, indicator 4.1), asked when it is closed;
-- NULL for complaints closed before it was asked.
ALTER TABLE complaint ADD COLUMN justified INTEGER CHECK (justified IS NULL OR justified IN (0, 1));

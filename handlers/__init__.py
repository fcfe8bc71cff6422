"""aiogram routers, one module per feature; each exports a router factory."""

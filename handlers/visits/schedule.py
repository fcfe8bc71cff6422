"""The scheduler pass: the §15 reminder and the survey questions a visit is owed today, into the outbox.

Run by the outbox worker before each of its passes (`Outbox.passes`), so it happens after a restart
and on whichever replica gets there first: a visit's notices and the mark of what was sent are stored
in one transaction that only one replica wins (bot.storage.visits `mark_sent`), each under its own
dedupe key (`visit:<id>:reminder`, `visit:<id>:survey:<question>`). Texts are rendered here in the
user's language, as the worker sends exactly what is stored.
"""

from __future__ import annotations

import logging
from dataclasses import replace

from aiogram import Bot
from aiogram.utils.i18n import I18n

from bot import clock
from bot.complaints.notice import OutboxNotice
from bot.storage.database import Database
from bot.storage.visits import Visit, notice_prefix
from bot.telegram.outbox import Outbox
from bot.visits.asks import next_look_on, owed
from bot.visits.due import plan_visit
from handlers.questionnaire import keyboard
from handlers.visits import render
from handlers.visits.survey import VisitSurvey

log = logging.getLogger(__name__)


class VisitScheduler:
    def __init__(self, db: Database, i18n: I18n, outbox: Outbox) -> None:
        self.db = db
        self.outbox = outbox  # its clock times the stored notices, as for every other notice
        self.i18n = i18n
        self.survey = VisitSurvey()

    async def __call__(self, bot: Bot) -> int:
        """Store what is owed today, and end a survey past its last day (its answers given so far are
        stored, bot.storage.visits `close_survey`); returns how many visits got something."""
        today, stored = clock.today(), 0
        for visit in await self.db.visits.due(today):
            plan = plan_visit(visit.accepted_on, survey=self.survey.survey)
            if not visit.survey_done and plan.closes_on <= today:
                if await self.db.visits.close_survey(visit, at=self.outbox.clock()):
                    visit = replace(visit, survey_done=True, survey_answers={})
                else:  # a tap came first: look again on the next pass
                    continue
            locale = await self.db.dialogues.get_locale(visit.user_id) or visit.locale
            with self.i18n.context(), self.i18n.use_locale(locale):
                notices, asked = self._notices(visit, today)
            sent = [*visit.survey_sent, *asked]
            later = None if visit.survey_done else next_look_on(plan, visit.survey_answers, sent, after=today)
            stored += await self.db.visits.mark_sent(
                visit, notices=notices, reminded=visit.reminded or visit.remind_on <= today, asked=asked,
                next_ask_on=later, at=self.outbox.clock())
        return stored

    def _notices(self, visit: Visit, today) -> tuple[list[OutboxNotice], list[str]]:
        notices, asked = [], []
        if not visit.reminded and visit.remind_on <= today:
            notices.append(OutboxNotice(notice_prefix(visit.id) + "reminder", visit.user_id,
                                        {"text": render.reminder_text(visit)}))
        if not visit.survey_done and visit.next_ask_on is not None and visit.next_ask_on <= today:
            plan = plan_visit(visit.accepted_on, survey=self.survey.survey)
            question = owed(self.survey.survey, plan, visit.survey_answers, visit.survey_sent, today)
            if question is not None:
                markup = keyboard(self.survey, visit.id, question)
                notices.append(OutboxNotice(
                    f"{notice_prefix(visit.id)}survey:{question.id}", visit.user_id,
                    {"text": self.survey.card(question, first=not visit.survey_sent),
                     "reply_markup": markup.model_dump(mode="json", exclude_none=True)}))
                asked.append(question.id)
        return notices, asked

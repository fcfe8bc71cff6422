"""The survey after a visit (data/surveys/after_visit.toml) on the questionnaire runner: one tap per
question, each skippable, never asked twice; when it is over the answers are stored apart from who
gave them and the user's progress is deleted (bot.storage.visits `finish_survey`)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from aiogram import Router
from aiogram.utils.i18n import gettext as _

from bot import clock
from bot.visits.asks import complete, follows, next_ask_on
from bot.visits.due import plan_visit
from bot.visits.survey import Survey, SurveyQuestion, load_survey
from handlers import questionnaire
from handlers.questionnaire import Step
from handlers.visits import render

NAME = "sv"


class VisitSurvey:
    """The `Questionnaire` of the survey; its record is the visit's id."""

    name = NAME

    def __init__(self, survey: Survey | None = None) -> None:
        self.survey = survey or load_survey()

    def question(self, question_id: str) -> SurveyQuestion | None:
        return self.survey.question(question_id)

    def options(self, question: SurveyQuestion) -> Sequence[tuple[str, Any]]:
        if question.kind == "bool":
            return [(_("Yes"), True), (_("No"), False)]
        return [(str(value), value) for value in self.survey.scale.values()]

    def skippable(self, question: SurveyQuestion) -> bool:
        return True

    def card(self, question: SurveyQuestion, *, first: bool = False) -> str:
        return render.survey_card(self.survey, question, first)

    async def answer(self, data: dict[str, Any], record: int, question: SurveyQuestion, value: Any
                     ) -> Step | None:
        db, user = data["db"], data["event_from_user"]
        visit = await db.visits.get(record)
        if visit is None or visit.user_id != user.id or visit.survey_done \
                or question.id not in visit.survey_sent or question.id in visit.survey_answers:
            return None
        answers = {**visit.survey_answers, question.id: value}
        if complete(self.survey, answers):
            stored = await db.visits.finish_survey(visit, answers, at=clock.now())
            return Step(render.survey_thanks(self.survey)) if stored else None
        plan, today = plan_visit(visit.accepted_on, survey=self.survey), clock.today()
        following = follows(self.survey, plan, answers, visit.survey_sent, today)
        asked = [following.id] if following is not None else []
        if not await db.visits.answer(visit, answers, asked=asked, at=clock.now()):
            return None
        if following is not None:
            return Step(self.card(following), following)
        if next_ask_on(plan, answers, visit.survey_sent, after=today) is not None:
            return Step(render.survey_later_text())
        return Step(render.survey_saved_text())


def make_router() -> Router:
    return questionnaire.make_router(VisitSurvey())

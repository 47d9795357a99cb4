"""Reader studies: cases drawn from machine output, blinded readers with their own case order,
timed readings, adjudication, and the long-format readings `pancyst agreement` scores."""

from pancyst.study.design import pick_cases, reader_orders
from pancyst.study.store import ARMS, Person, StudyStore

__all__ = ["ARMS", "Person", "StudyStore", "pick_cases", "reader_orders"]

"""Programme rules: a parcel is planned only into an approved programme and one of its years."""

from __future__ import annotations

from policies.refusals import Refused, subject


def check_plan(programme, data: dict, where: str) -> None:
    name, year = data["programme"], data["year"]
    if programme is None:
        raise Refused(f"{where}: plan: programme {name} is unknown; create and approve it first")
    if programme.state != "approved":
        raise Refused(f"{where}: plan: programme {name} is {programme.state}; only an approved programme takes parcels")
    if str(year) not in programme.years:
        raise Refused(f"{where}: plan: year {year} is not in programme {name}; years: {', '.join(programme.years)}")


def check_budget(programme, data: dict) -> None:
    if str(data["year"]) not in programme.years:
        raise Refused(f"{subject('programme', programme.key, programme.state)}: include_in_budget: year {data['year']} "
                      f"is not in the programme; years: {', '.join(programme.years)}")



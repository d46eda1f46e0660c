"""Writes a synthetic interview round with known ground truth, for measuring personas.

Each participant has a known role; each statement they make comes from one known theme
of that role (templates written for this project, with varied wording). The round is
written as Markdown transcripts, with titles in front matter (``--titles given``) or with
no title anywhere (``--titles hidden``), plus ``truth.json``: participant -> role, and
statement text -> (role, kind, theme).

    python bench/synthetic_round.py OUT_DIR --participants 40 --titles given --seed 1
"""

from __future__ import annotations

import argparse
import json
import random
from pathlib import Path

# role -> (titles, {kind: {theme: [phrasings]}})
ROLES: dict[str, tuple[list[str], dict[str, dict[str, list[str]]]]] = {
    "sales-leader": (
        ["VP of Sales", "Head of Sales", "Sales Director"],
        {
            "pain": {
                "gut-feel forecast": [
                    "Our forecast calls are basically gut feel from the reps.",
                    "Every forecast call turns into guesswork based on how reps feel.",
                    "The number we commit is mostly instinct, not data.",
                ],
                "sandbagging": [
                    "My reps sandbag deals until the last week of the quarter.",
                    "Half the team hides deals so they can beat the number late.",
                    "Sandbagging makes the pipeline look thinner than it is.",
                ],
            },
            "goal": {
                "trust the number": [
                    "I want to walk into the board meeting and trust the number.",
                    "What I need is a forecast number I can defend in front of the board.",
                    "I'd love to stand behind our commit without second guessing it.",
                ],
                "pipeline coverage": [
                    "I want to see pipeline coverage by segment every Monday.",
                    "My goal is to know our coverage ratio for each region at a glance.",
                    "Ideally I'd see coverage against quota for every team.",
                ],
            },
            "objection": {
                "rep adoption": [
                    "My reps will not update yet another tool, that's the problem.",
                    "I'm worried the team won't adopt one more thing to click through.",
                    "Getting reps to log into another app would be a fight I don't want.",
                ],
                "budget freeze": [
                    "Our budget is frozen until the next fiscal year.",
                    "There's no budget left this year for new software.",
                    "Spend is locked until the new fiscal year starts.",
                ],
            },
        },
    ),
    "revops": (
        ["Revenue Operations Manager", "RevOps Manager", "Sales Operations Manager"],
        {
            "pain": {
                "manual spreadsheets": [
                    "Every Monday I lose three hours pulling numbers into spreadsheets.",
                    "I spend my Mondays copying CRM exports into spreadsheets by hand.",
                    "The weekly roll-up is a manual spreadsheet marathon.",
                ],
                "dirty crm data": [
                    "Our CRM is full of duplicate records and stale close dates.",
                    "Duplicate accounts in Salesforce break every report we build.",
                    "Half the opportunities have close dates that are months out of date.",
                ],
            },
            "goal": {
                "single source of truth": [
                    "I want one source of truth for pipeline that everyone uses.",
                    "My goal is a single place where the pipeline numbers live.",
                    "We need one version of the truth instead of five spreadsheets.",
                ],
                "automated roll-up": [
                    "I'd love to automate the weekly forecast roll-up completely.",
                    "What would help most is having the roll-up build itself.",
                    "I want the Monday report to be automatic.",
                ],
            },
            "objection": {
                "integration upkeep": [
                    "Another integration means another thing for me to maintain.",
                    "I'm wary of one more integration breaking every time Salesforce changes.",
                    "Every new connector ends up as my maintenance problem.",
                ],
                "admin capacity": [
                    "Our Salesforce admin has no capacity for another project.",
                    "We don't have the admin time to set up something new.",
                    "My one admin is already booked through the next two quarters.",
                ],
            },
        },
    ),
    "finance": (
        ["CFO", "VP of Finance", "FP&A Director"],
        {
            "pain": {
                "cash planning": [
                    "When the forecast misses, it wrecks our cash planning.",
                    "A missed forecast throws off cash planning for the whole half.",
                    "Every miss forces me to redo the cash plan.",
                ],
                "bookings vs revenue": [
                    "Bookings and revenue never match because of ramps and start dates.",
                    "Sales reports bookings, I forecast revenue, and the two never line up.",
                    "The gap between bookings and recognized revenue is a constant headache.",
                ],
            },
            "goal": {
                "forecast accuracy": [
                    "My goal is a forecast within five percent of actual.",
                    "I want our revenue forecast to land within five percent.",
                    "Success is a forecast that is within a few percent three weeks out.",
                ],
                "tie to plan": [
                    "I'd like the pipeline tied back to the operating plan.",
                    "I want to see whether pipeline covers the plan for next quarter.",
                    "What I need is pipeline mapped against the annual plan.",
                ],
            },
            "objection": {
                "prove roi": [
                    "You would have to prove the ROI within two quarters.",
                    "I need to see a clear return on investment before I sign.",
                    "Without a hard ROI case this won't get approved.",
                ],
                "per-seat price": [
                    "Per-seat pricing is a problem when most people open it once a month.",
                    "I'm wary of paying per seat for casual users.",
                    "The price per seat is too high for our headcount.",
                ],
            },
        },
    ),
    "security": (
        ["CISO", "Head of IT Security", "IT Security Manager"],
        {
            "pain": {
                "data sprawl": [
                    "Customer data keeps leaving the CRM for tools nobody reviewed.",
                    "Our biggest problem is data copied into unapproved apps.",
                    "Sensitive data ends up in tools security never looked at.",
                ],
                "slow vendor reviews": [
                    "Our vendor reviews take months even when everything is in order.",
                    "Every vendor assessment drags on for a quarter.",
                    "The security review queue is months long.",
                ],
            },
            "goal": {
                "least privilege": [
                    "I want least-privilege access by default for every user.",
                    "My goal is that each user only sees their own territory.",
                    "We need access scoped to exactly what each role requires.",
                ],
                "audit logs": [
                    "I want audit logs of every login and every export.",
                    "What I need is an exportable audit trail tied to named users.",
                    "Ideally every export would show up in an audit log.",
                ],
            },
            "objection": {
                "soc 2": [
                    "Without a SOC 2 Type II report it's a hard no.",
                    "No SOC 2 report means we can't even start the review.",
                    "We won't consider a vendor that lacks SOC 2 Type II.",
                ],
                "data residency": [
                    "Data residency in the EU is a deal-breaker for us.",
                    "If the data can't stay in the EU, we can't buy it.",
                    "EU data residency is non-negotiable for our legal team.",
                ],
            },
        },
    ),
}
OPENERS = ["", "Honestly, ", "To be fair, ", "I'd say ", "Look, ", "Frankly, "]
QUESTIONS = {
    "pain": "What's the hardest part of that for you today?",
    "goal": "If you had a magic wand, what would you want?",
    "objection": "What would make you say no to a tool like this?",
}
FILLER = [
    "Thanks for having me, happy to help.",
    "We have been growing quickly over the last two years.",
    "Sure, that makes sense.",
]


def _statement(rng: random.Random, phrasing: str) -> str:
    opener = rng.choice(OPENERS)
    if not opener or phrasing.startswith(("I ", "I'", "SOC", "EU")):
        return opener + phrasing
    return opener + phrasing[0].lower() + phrasing[1:]


def generate(out: Path, participants: int, titles: str, seed: int) -> dict[str, object]:
    """Writes the round into ``out`` and returns the ground truth."""
    rng = random.Random(seed)
    out.mkdir(parents=True, exist_ok=True)
    roles = sorted(ROLES)
    truth: dict[str, object] = {"participants": {}, "statements": {}}
    for n in range(participants):
        role = roles[n % len(roles)]
        title_options, themes = ROLES[role]
        name = f"Person {n + 1:03d}"
        front = ["---", f"participant: {name}", f"company: Company {n + 1}"]
        if titles == "given":
            front.append(f"title: {rng.choice(title_options)}")
        front += ["date: 2026-10-01", "---", ""]
        lines = [*front, "Interviewer: Thanks for joining. Tell me about your work?", ""]
        lines += [f"{name}: {rng.choice(FILLER)}", ""]
        for kind in ("pain", "goal", "objection"):
            lines += [f"Interviewer: {QUESTIONS[kind]}", ""]
            said = []
            for theme in sorted(themes[kind]):
                if rng.random() < 0.8:
                    text = _statement(rng, rng.choice(themes[kind][theme]))
                    said.append(text)
                    truth["statements"][text] = [role, kind, theme]  # type: ignore[index]
            lines += [f"{name}: " + (" ".join(said) or rng.choice(FILLER)), ""]
        lines += ["Interviewer: Thank you, that was really helpful.", ""]
        (out / f"call-{n + 1:03d}.md").write_text("\n".join(lines), "utf-8")
        truth["participants"][f"call-{n + 1:03d}.md"] = role  # type: ignore[index]
    (out / "truth.json").write_text(json.dumps(truth, indent=2, sort_keys=True), "utf-8")
    return truth


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--participants", type=int, default=40)
    parser.add_argument("--titles", choices=("given", "hidden"), default="given")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    generate(args.out, args.participants, args.titles, args.seed)


if __name__ == "__main__":
    main()

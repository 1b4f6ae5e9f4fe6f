#!/usr/bin/env python3
"""Writes tests/rules/boundary-selection-lines.json: for every year the parameters cover and every
household size 1-7, a case one won below, at, and one won above each selection line the ministries
publish as 기준 중위소득 × 비율 rounded to the won (docs/eligibility.md, "Rounding").

The lines are computed here in exact decimal arithmetic from data/eligibility/parameters, so a
change of the engine's rounding (or of a figure without regenerating) fails the rule tests.
Run from the repository root after changing a median income or a ratio:
    python3 scripts/gen-boundary-cases.py
"""
import json
from decimal import Decimal, ROUND_HALF_UP
from pathlib import Path

root = Path(__file__).resolve().parent.parent
params = {}
for f in sorted((root / "data/eligibility/parameters").glob("*.json")):
    params.update(json.loads(f.read_text())["parameters"])


def in_force(name, date):
    found = None
    for v in params[name]["values"]:
        if v["from"] <= date:
            found = v
    return found


def median(date, size):
    v = in_force("median_income", date)
    bs = v["by_size"]
    return Decimal(bs[size - 1]) if size <= len(bs) else Decimal(bs[-1]) + Decimal(v.get("step", 0)) * (size - len(bs))


def ratio(name, date):
    return Decimal(str(in_force(name, date)["value"]))


def line(date, size, ratio_param):
    return int((median(date, size) * ratio(ratio_param, date)).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def household(size, program):
    members = [{"relation": "self", "age": 42, "school": "none"}]
    for i in range(size - 1):
        members.append({"relation": "child", "age": 10, "school": "elementary"})
    if size == 1 and program in ("education_benefit", "near_poor_copay_reduction"):
        members = [{"relation": "self", "age": 17, "school": "high"}]
    h = {"members": members}
    if program == "housing_benefit":
        h["residence"] = {"tenure": "monthly_rent", "region": "seoul", "rent": 300000, "deposit": 0}
    if program == "single_parent_child_support":
        h["single_parent"] = True
    if program == "emergency_welfare":
        h["crisis"] = "job_loss"
        h["assets"] = {"housing": 0, "deposits": 0, "financial": 0, "vehicles": 0, "debts": 0}
    return h


PROGRAMS = [  # program, ratio parameter, Korean name, sizes
    ("livelihood_benefit", "livelihood_selection_ratio", "생계급여", range(1, 8)),
    ("medical_benefit", "medical_selection_ratio", "의료급여", range(1, 8)),
    ("housing_benefit", "housing_selection_ratio", "주거급여", range(1, 8)),
    ("education_benefit", "education_selection_ratio", "교육급여", range(1, 8)),
    ("near_poor_copay_reduction", "near_poor_ratio", "차상위 본인부담경감", range(1, 8)),
    ("single_parent_child_support", "single_parent_child_support_income_ratio", "한부모 아동양육비", range(2, 8)),
    ("emergency_welfare", "emergency_income_ratio", "긴급지원 (월 소득)", range(1, 8)),
]

years = sorted({v["from"][:4] for v in params["median_income"]["values"]})
cases = []
for year in years:
    date = f"{year}-06-01"
    for program, rparam, name_ko, sizes in PROGRAMS:
        pct = ratio(rparam, date) * 100
        for size in sizes:
            L = line(date, size, rparam)
            exact = median(date, size) * ratio(rparam, date)
            for delta, word in ((-1, "1원 아래"), (0, "같음"), (1, "1원 위")):
                income = L + delta
                h = household(size, program)
                if program == "emergency_welfare":  # 긴급지원 compares the monthly income, not 소득인정액
                    h["incomes"] = {"earned": income, "business": 0, "property": 0, "public_transfer": 0, "private_transfer": 0}
                else:
                    h["recognized_income"] = income
                exp = {"status": "eligible" if delta <= 0 else "not_eligible"}
                if program == "livelihood_benefit" and delta <= 0:
                    exp["monthly_amount"] = L - income
                cases.append({
                    "name": f"{year}년 {size}인 {name_ko}: {'월 소득' if program == 'emergency_welfare' else '소득인정액'}이 선정기준 {L:,}원보다 {word} ({income:,}원)"
                    if delta else f"{year}년 {size}인 {name_ko}: {'월 소득' if program == 'emergency_welfare' else '소득인정액'}이 선정기준 {L:,}원과 같음",
                    "date": date,
                    "household": h,
                    "expect": {program: exp},
                    "source": f"기준 중위소득 {size}인 {int(median(date, size)):,}원 × {format(pct.normalize(), 'f')}% = {format(exact.normalize(), 'f')}원, 원 단위 반올림 {L:,}원",
                })

out = root / "tests/rules/boundary-selection-lines.json"
out.write_text(json.dumps({"cases": cases}, ensure_ascii=False, indent=1) + "\n")
print(f"{out.relative_to(root)}: {len(cases)} cases")

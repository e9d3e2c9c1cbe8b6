"""One valid data set for every parcel command, so property tests can fire any of them."""

from __future__ import annotations

GROUP = [{"name": "张玉峰", "unit": "nrb"}, {"name": "乌来别克·马丁", "unit": "eeb"}, {"name": "张志坚", "unit": "finance"}]
EXPERTS = ["赵专家", "钱专家", "孙专家"]

VALID_DATA = {
    "register": {"name": "采坑", "township": "庙尔沟镇", "area_ha": "6.5", "verified_area_ha": "6.4"},
    "plan": {"programme": "P", "year": 2023, "mode": "ecological_reconstruction", "planned_investment": "150.25"},
    "commission_survey": {"survey_unit": "七大队", "contract_ref": "KC-1"},
    "deliver_survey": {"report_ref": "KCBG-1", "hazards": ["边坡失稳"]},
    "submit_design": {"design_ref": "SJ-1", "design_date": "2023-01-01", "boundary_area_ha": "6.5",
                      "budget": "150.25", "authors": ["王工"], "quantities": {"earthwork_m3": "1200"},
                      "earth_balance": {"generated": "100", "reused": "80", "surplus": "20"}},
    "approve_design": {"experts": EXPERTS, "review_ref": "PS-1", "approved_budget": "149"},
    "reject_design": {"experts": EXPERTS, "reasons": ["边坡过陡"]},
    "award_contract": {"contractor": "建安公司", "supervisor": "监理公司", "contract_amount": "140",
                       "method": "public_tender"},
    "start_construction": {"start_report_ref": "KG-1"},
    "suspend": {}, "resume": {},
    "complete_works": {"as_built_area_ha": "6.4", "completion_report_ref": "WG-1"},
    "accept": {"group": GROUP, "experts": EXPERTS, "measured_area_ha": "6.3", "sign_in_sheet": "QD-1",
               "photos": ["IMG-1"]},
    "fail_acceptance": {"group": GROUP, "experts": EXPERTS, "issues": ["植被覆盖不足"], "deadline": "2024-06-30"},
    "complete_rectification": {"report_ref": "ZG-1"},
    "start_natural_recovery": {"assessment_ref": "PG-1", "notice_start": "2023-01-01"},
    "file_batch": {}, "confirm_write_off": {}, "close_stewardship": {},
    "log_patrol": {"findings": "无隐患", "hazard": False},
    "log_supervision": {"findings": "按设计施工"},
    "allocate_funds": {"amount": "50", "source": "central"},
    "certify_progress": {"percent": "40"},
    "make_payment": {"amount": "20.5", "payee": "建安公司", "account": "special", "stage": "progress"},
    "move_material": {"volume_m3": "300", "destination": "off_site"},
    "appraise_surplus": {"material": "砂石", "unit_price": "35"},
    "publish_disclosure": {"ref": "GS-1"},
    "sell_surplus": {"volume_m3": "300", "material": "砂石", "unit_price": "36", "seller": "县人民政府",
                     "platform_ref": "JY-1"},
    "deposit_revenue": {"amount": "1.08", "account": "treasury"},
    "approve_design_change": {"change_ref": "BG-1", "experts": EXPERTS},
    "survey_elevation": {"pre_min_m": "1012.5", "post_min_m": "1013"},
    "designate_steward": {"steward": "庙尔沟镇人民政府", "kind": "township", "agreement_ref": "GH-1",
                          "period_years": 3},
    "hand_over": {"handover_ref": "YJ-1"},
    "log_stewardship_inspection": {"condition": "良好", "survival_rate": "90"},
    "report_damage": {"description": "冲沟"},
    "resolve_damage": {"action": "回填"},
    "attach_document": {"note": "照片"},
}

GUARDED = {"hand_over", "log_stewardship_inspection", "resolve_damage", "close_stewardship",
           "start_natural_recovery", "suspend", "resume", "file_batch", "confirm_write_off"}
"""Commands with guards beyond state, role, fields and dates; the simple model does not predict them."""

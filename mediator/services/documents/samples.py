"""A fictitious, complete case to preview forms on (the 文书 page): every form can be filled."""
from __future__ import annotations

import copy
from typing import Any

from mediator.domain.case_detail import CaseDetail

# The plain data (`CaseDetail.as_json`) of for a case that went through every step. The names,
# numbers and places are invented (虚构); the identity numbers carry valid check characters.
SAMPLE_DETAIL: dict[str, Any] = {
    "id": 0, "ref": "SAMPLE", "number": "（2026）示例人调字第1号", "version": 1, "track": "people",
    "track_label": "人民调解", "track_detail": None, "track_detail_label": None,
    "status": "performed", "status_label": "已履行", "source": "application",
    "source_label": "当事人申请", "category": "marriage_family", "category_label": "婚姻家庭",
    "organization": "示例镇人民调解委员会", "village": "示例社区", "grid": "一网格",
    "received_on": "2026-06-01", "accepted_on": "2026-06-02", "closed_on": "2026-06-10",
    "summary": "申请人刘桂兰年事已高，三名子女对赡养费的分担意见不一，互相推诿，申请人生活困难。",
    "requests": "请求确定子女赡养费的分担方式。", "mediators": ["李建国", "王秀英"],
    "parties": [
        {"role": "applicant", "kind": "person", "name": "刘桂兰", "gender": "female",
         "ethnicity": "汉族", "birth_date": "1948-03-15", "id_number": "41990119480315212X",
         "phone": "13700000001", "address": "示例镇南街社区3号院", "occupation": "农民",
         "credit_code": None, "representative": None, "agent": None},
        {"role": "respondent", "kind": "person", "name": "杨国强", "gender": "male",
         "ethnicity": "汉族", "birth_date": "1971-08-09", "id_number": "419901197108093512",
         "phone": "13700000002", "address": "示例镇南街社区5号楼", "occupation": "个体经营",
         "credit_code": None, "representative": None,
         "agent": {"name": "杨小兰", "relation": "女儿", "phone": "13700000009"}},
    ],
    "timeline": [
        {"seq": 1, "on": "2026-06-01", "action": "register", "actor": "张登记", "note": "", "data": {}},
        {"seq": 2, "on": "2026-06-02", "action": "accept", "actor": "张登记", "note": "", "data": {}},
        {"seq": 3, "on": "2026-06-03", "action": "start", "actor": "李建国", "note": "", "data": {}},
        {"seq": 4, "on": "2026-06-10", "action": "agree", "actor": "李建国", "note": "", "data": {}},
    ],
    "sessions": [
        {"id": 1, "on": "2026-06-04", "kind": "investigation", "place": "示例镇南街社区3号院",
         "participants": "刘桂兰、杨国强的邻居赵大妈",
         "record": "经走访，申请人独居，无固定收入，三名子女均已成家，经济条件尚可。"},
        {"id": 2, "on": "2026-06-10", "kind": "mediation", "place": "示例镇人民调解室",
         "participants": "刘桂兰、杨国强、杨小兰",
         "record": "调解员向双方讲解了《中华人民共和国民法典》关于赡养义务的规定，双方各自陈述意见后，"
                   "经耐心疏导，就赡养费的数额和支付方式达成一致。"},
    ],
    "agreement": {"form": "written", "signed_on": "2026-06-10",
                  "facts": "申请人刘桂兰与被申请人杨国强系母子关系。因赡养费分担问题发生争执，"
                           "被申请人认为应由兄妹三人平均分担，申请人要求被申请人先行支付。",
                  "items": ["杨国强自2026年7月起每月5日前支付刘桂兰赡养费人民币叁佰元整。",
                            "刘桂兰的医疗费用凭票据由子女三人平均分担。"],
                  "performance": "按月转账", "deadline": "2026-07-05", "amount_yuan": "3600.00",
                  "copies": 3},
    "performance": [{"on": "2026-07-05", "result": "full", "note": "已按月转账"}],
    "follow_ups": [{"on": "2026-07-12", "method": "phone", "performance": "full",
                    "satisfaction": "satisfied", "note": "已按月支付，双方关系缓和。", "visitor": "李建国"}],
    "judicial_confirmation": {"applied_on": "2026-06-20", "court": "示例县人民法院",
                              "result": "confirmed", "on": "2026-06-28"},
    "advisor_reviews": [{"advisor": "陈律师", "requested_on": "2026-06-08", "requested_by": "李建国",
                         "request_note": "请审查协议条款是否合法可行。", "result": "approved",
                         "opinion": "协议内容不违反法律、行政法规的强制性规定，条款明确，具有可操作性，同意签订。",
                         "reviewed_on": "2026-06-09",
                         "draft": {"revision": 2, "facts": "申请人与被申请人系母子关系，因赡养费分担发生争执。",
                                   "items": ["杨国强自2026年7月起每月5日前支付刘桂兰赡养费人民币叁佰元整。",
                                             "刘桂兰的医疗费用凭票据由子女三人平均分担。"],
                                   "performance": "按月转账", "deadline": "2026-07-05",
                                   "amount_yuan": "3600.00", "copies": 3}}],
}

# Timeline entries that let the termination and rejection notices be previewed too.
_ENDINGS = [
    {"seq": 5, "on": "2026-06-10", "action": "fail", "actor": "李建国", "note": "",
     "data": {"reason": "双方对赡养费数额分歧较大，经多次调解未能达成协议"}},
    {"seq": 6, "on": "2026-06-02", "action": "reject", "actor": "张登记", "note": "",
     "data": {"reason": "被申请人明确拒绝调解"}},
]


# A 补充协议 signed after the agreement, for the 变更（补充）协议书.
_SUPPLEMENT = {"seq": 1, "kind": "supplement", "signed_on": "2026-07-15",
               "terms": ["刘桂兰每年的体检费用由子女三人平均分担，于体检后十日内凭票据支付。"],
               "reason": "申请人年事已高，需定期体检，原协议未约定体检费用的分担。", "recorded_by": "李建国"}


def sample_detail(form_id: str = "") -> CaseDetail:
    """The sample case; for the termination and rejection notices ended that way, for the oral
    agreement's register agreed orally, for the 变更（补充）协议书 with a 补充协议."""
    detail = copy.deepcopy(SAMPLE_DETAIL)
    if form_id == "supplementary_agreement":
        detail["supplements"] = [copy.deepcopy(_SUPPLEMENT)]
    if form_id in ("termination", "rejection"):
        detail["timeline"] = detail["timeline"][:3] + copy.deepcopy(_ENDINGS)
    if form_id == "oral_agreement":
        detail["agreement"]["form"] = "oral"
    return CaseDetail.from_json(detail)

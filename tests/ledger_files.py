"""Messy old Excel 台账 built in the tests (openpyxl): a merged title row, dates in every usual
form, 男/女, amounts with 元 and commas, several parties in one cell, and rows with problems."""
from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path

import openpyxl

from mediator.domain.validators import id_number_check_char


def id_number(first17: str) -> str:
    return first17 + id_number_check_char(first17)


MALE_ID = id_number("41990119800101123")  # 17th digit odd: male
FEMALE_ID = id_number("41990119850315122")  # even: female
OTHER_MALE_ID = id_number("41990119700606111")
BAD_ID = MALE_ID[:17] + ("0" if MALE_ID[17] != "0" else "1")  # wrong check character

HEADERS = ["序号", "当事人", "性别", "身份证号", "联系电话", "纠纷类型", "纠纷简要情况", "受理日期",
           "调解日期", "调解结果", "协议内容", "涉及金额", "调解员", "履行情况", "回访情况"]

# (row as Excel shows it after the title and header rows) — what each row holds
MESSY_ROWS = [
    [1, "张三、李四", "男、女", f"{MALE_ID}、{FEMALE_ID}", "13803711111，13803712222", "婚姻家庭纠纷",
     "张三与李四因赡养老人发生争执", datetime(2023, 5, 6), "2023.5.20", "调解成功",
     "张三每月支付赡养费300元\n李四负责日常照料", "1,200元", "李建国", "已履行", "电话回访，双方满意"],
    [2, "王五/赵六", "男", OTHER_MALE_ID, "13803713333", "邻里纠纷", "排水沟堵塞引发邻里矛盾",
     "2023-06-01", "2023年6月10日", "不成功", "", 1200.5, "王秀英", "", ""],
    [3, "孙七", "女", BAD_ID, "", "宅基地", "宅基地界址争议", "2023/7/3", "", "调解中", "", "", "", "", ""],
    [4, "周八\n吴九", "", "", "", "山林土地纠纷", "承包地边界争议", "2023年8月1日", "2023-08-15",
     "达成协议", "", "-500元", "", "", ""],
    [None, None, None, None, None, None, None, None, None, None, None, None, None, None, None],
    [5, "郑十、冯十一", "", "", "", "莫名纠纷", "因琐事发生口角", "2023.9.9", "2023.9.12", "撤回", "",
     "", "新调解员", "", ""],
    [6, "陈十二", "男", "", "138-0371-4444", "劳动争议", "拖欠工资", "2023.13.45", "", "成功", "", "", "", "",
     ""],
]
# Excel rows: title 1, header 2, data from 3; row 7 is empty.
GOOD_ROWS = (3, 4, 8)  # 张三/李四 (agreed), 王五/赵六 (failed), 郑十/冯十一 (withdrawn, category unknown)
BAD_ID_ROW, NEGATIVE_ROW, BAD_DATE_ROW, EMPTY_ROW = 5, 6, 9, 7


def write_ledger(path: Path, rows: list[list], headers: list[str] = HEADERS,
                 title: str | None = "城关镇人民调解委员会矛盾纠纷排查调处台账（2023年）") -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "台账"
    if title is not None:
        sheet.append([title])
        sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(headers))
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def messy_ledger(folder: Path) -> Path:
    return write_ledger(folder / "旧台账.xlsx", MESSY_ROWS)


def big_ledger(path: Path, rows: int) -> Path:
    """``rows`` distinct good rows (the bench): agreed, failed and open cases over three years."""
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("台账")
    sheet.append(["台账"])
    sheet.append(HEADERS)
    start = date(2023, 1, 2)
    outcomes = ["调解成功", "不成功", "调解成功", "撤回", "调解成功"]
    kinds = ["婚姻家庭", "邻里纠纷", "宅基地", "合同纠纷", "损害赔偿"]
    for i in range(rows):
        on = start + timedelta(days=i % 1000)
        sheet.append([i + 1, f"甲{i}、乙{i}", "", "", "", kinds[i % 5], f"第{i}号纠纷的简要情况", on,
                      on + timedelta(days=5), outcomes[i % 5], "按约履行" if i % 5 in (0, 2, 4) else "",
                      f"{i % 7 * 100}元", "李建国", "已履行" if i % 5 == 0 else "", ""])
    book.save(path)
    return path

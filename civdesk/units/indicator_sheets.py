"""测评体系 to and from Excel: the district sends its assessment table each year as a sheet;
the administrator imports it as a new version of the year's set, or exports one to edit.

Columns: 测评项目, 指标内容, 分值, 等次分值 (e.g. "A=5,B=4,C=2,D=0"), 评分标准, 佐证材料. Every
problem is reported with its Excel row and column, and nothing is written unless all is right.
"""

from __future__ import annotations

from pathlib import Path

from civdesk.core.actor import Actor, require
from civdesk.core.validation import Checked, ValidationError, normalize_text, number
from civdesk.reports.output import audit_export
from civdesk.units import organisations as units
from civdesk.units.models import IndicatorSet
from civdesk.xlsx.read import ColumnSpec, read_sheet
from civdesk.xlsx.write import write_table, write_template


def _points(value) -> Checked:
    return number(value, "分值", above=0, step="0.1", unit="分", suffixes=("分",))


def _grades(value) -> Checked:
    try:
        return Checked(units.parse_grades(str(value))[0], None)
    except ValidationError as exc:
        return Checked(None, next(iter(exc.errors.values())))


SPECS = [
    ColumnSpec("group_name", "测评项目", ("一级指标", "项目", "类别"), required=True, example="组织领导"),
    ColumnSpec("name", "指标内容", ("二级指标", "测评内容", "指标", "内容"), required=True,
               example="成立创建工作领导小组，有年度创建计划"),
    ColumnSpec("max_points", "分值", ("分数", "满分", "标准分"), parse=_points, example="5",
               help="该项的满分；按等次评分的可留空（取最高等次的分值）"),
    ColumnSpec("grades", "等次分值", ("等次", "评分等次"), parse=_grades, example="",
               help="按等次评分时填写，如 A=5,B=4,C=2,D=0；按分数评分的留空"),
    ColumnSpec("guidance", "评分标准", ("评分细则", "扣分标准", "评分办法"), example="缺一项扣2分"),
    ColumnSpec("evidence", "佐证材料", ("佐证", "印证材料", "所需材料"), example="领导小组文件、年度计划"),
]
COLUMNS = [("测评项目", 14), ("指标内容", 48), ("分值", 8), ("等次分值", 20), ("评分标准", 40), ("佐证材料", 28)]


def export_set(actor: Actor, set_id: str, path: str | Path) -> int:
    indicator_set = units.get_set(set_id)
    line = units.thresholds(indicator_set)
    rows = [[r["group_name"], r["name"], r["max_points"], r["grades"], r["guidance"], r["evidence"]]
            for r in units.set_rows(set_id)]
    count = write_table(path, "测评体系", COLUMNS, rows, title=indicator_set.name,
                        note=f"适用称号：{indicator_set.kind}；申报自评需 {line.self_text} 分，测评通过需 {line.pass_text} 分")
    audit_export(actor, indicator_set.name, path, tbl="indicator_set")
    return count


def template(path: str | Path) -> None:
    write_template(path, SPECS, "测评体系", [
        "每行一项测评指标，按测评表中的顺序填写；同一测评项目的指标写在一起。",
        "各项分值合计应为 100 分。按等次评分的指标在「等次分值」中写明各等次的分数。"])


def import_set(actor: Actor, path: str | Path, kind: str, year: int, *, name: str = "",
               progress=None, cancelled=None) -> IndicatorSet:
    """A new version of *kind*'s set for *year* from the sheet; raises ValidationError naming
    each wrong cell as 第 N 行「列」 (and writes nothing)."""
    require(actor, "edit_indicator_sets")
    result = read_sheet(path, SPECS, progress=progress, cancelled=cancelled)
    problems = list(result.file_errors)
    problems += [f"第 {e.row} 行「{e.column}」：{e.message}" for e in result.errors]
    rows = []
    for row in result.rows:
        if row.errors:
            continue
        try:
            units._item_values(row.values, row.row_number, f"第 {row.row_number} 行：")
        except ValidationError as exc:
            problems += list(exc.errors.values())
            continue
        rows.append(row.values)
    if not problems and not rows:
        problems.append(f"「{Path(path).name}」中没有测评指标")
    if problems:
        raise ValidationError({"file": "；".join(problems[:20]) + (f" 等 {len(problems)} 处问题" if len(problems) > 20 else "")})
    return units.create_set(actor, kind, year, rows, name=normalize_text(name),
                            note=f"从 {Path(path).name} 导入")

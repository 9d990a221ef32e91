"""Plausible Chinese names and places for sample data (deterministic for a given seed)."""

from __future__ import annotations

import random

SURNAMES = ("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁"
            "任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武")
GIVEN_MALE = ["建国", "志强", "国强", "伟", "强", "磊", "军", "洋", "勇", "杰", "涛", "明", "超", "平", "刚", "德华", "浩然", "梓轩", "思远", "文博", "俊杰", "宇航", "志明", "小军", "永康", "福生", "建华", "国平", "德明", "光明", "学文"]
GIVEN_FEMALE = ["秀英", "桂英", "丽娟", "海燕", "晓燕", "芳", "娜", "敏", "静", "丽", "艳", "娟", "秀兰", "霞", "玉兰", "春梅", "子涵", "雨桐", "欣怡", "嘉怡", "佳琪", "晨曦", "婉清", "红梅", "淑珍", "玉珍", "秀珍", "凤英", "金花"]
GIVEN = GIVEN_MALE + GIVEN_FEMALE
VILLAGES = ("桂花村", "石桥村", "太平社区", "新民村", "红星村", "龙泉社区", "白鹤村", "金马村", "柳林村", "双河社区")
TOWNSHIP = "清溪镇"


def person_name(rng: random.Random, sex: str = "") -> str:
    given = GIVEN_MALE if sex == "男" else GIVEN_FEMALE if sex == "女" else GIVEN
    return rng.choice(SURNAMES) + rng.choice(given)


def mobile(rng: random.Random) -> str:
    return rng.choice(("138", "139", "135", "136", "150", "151", "158", "177", "180", "189")) + \
        f"{rng.randrange(10**8):08d}"

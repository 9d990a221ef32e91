"""Sample nominee stories and portraits, deterministic from the random generator.

Stories are built from sentence templates per category until they reach a length inside the
800–2,000 character range a nomination requires; portraits are simple drawn silhouettes.
"""

from __future__ import annotations

import io
import random

from civdesk.nominations.nominees import STORY_MAX, count_chars

OPENINGS = (
    "{name}，{sex_word}，{age}岁，{political}，家住清溪镇{village}，{occupation}。",
    "{name}是清溪镇{village}的一名{occupation}，今年{age}岁，{political}。",
)
DEEDS = {
    "助人为乐": (
        "多年来，{name}把邻里的事当成自己的事，谁家有困难总是第一个赶到。",
        "村里的孤寡老人{other}行动不便，{name}坚持每周上门帮忙打扫卫生、代购米面油，一坚持就是{years}年。",
        "遇到留守儿童放学无人照看，{name}主动把孩子接到家里辅导作业，从不收取一分钱。",
        "{year}年夏天，同组村民{other}突发急病，家人都在外地务工，{name}连夜开车把他送到镇卫生院，垫付了医药费。",
        "逢年过节，{name}都会自掏腰包买上慰问品，挨家挨户看望组里的困难群众。",
    ),
    "见义勇为": (
        "{year}年{month}月的一天傍晚，{name}在河边散步时听到有人呼救，发现一名小学生不慎落水。",
        "情况危急，{name}来不及多想，脱下外套就跳进了冰冷的河水中，奋力把孩子托出水面。",
        "孩子获救后，{name}顾不上自己被石块划破的双腿，又协助赶来的村干部对孩子进行急救。",
        "事后孩子的家长带着锦旗登门道谢，{name}只是笑着说：“换了谁都会这么做。”",
        "此前，{name}还曾在集镇上协助民警制止了一起抢夺老人财物的违法行为。",
    ),
    "诚实守信": (
        "{name}经营一家小卖部已有{years}年，始终坚持明码标价、足斤足两，从不卖过期商品。",
        "{year}年，{name}的丈夫因病去世，留下{debt}万元的欠款，不少债主都没有留下借条。",
        "{name}拿出丈夫生前的记账本，一笔一笔核对，主动上门找到每一位债主，承诺一定还清。",
        "为了还债，{name}起早贪黑，白天种菜卖菜，晚上到镇上的工厂打零工，几年下来终于把钱全部还清。",
        "乡亲们都说：“{name}说的话，比借条还管用。”",
    ),
    "敬业奉献": (
        "{name}扎根基层岗位{years}年，把全部心血都倾注在了平凡的工作中。",
        "无论刮风下雨，{name}总是第一个到岗、最后一个离开，多年来从未耽误过一次工作。",
        "{year}年汛期，{name}连续二十多天吃住在防汛一线，带领群众转移安置一百余人。",
        "{name}还主动钻研业务，把多年积累的经验整理成册，手把手传授给年轻同事。",
        "在{name}的带动下，{village}的各项工作走在了全镇前列，多次受到上级表扬。",
    ),
    "孝老爱亲": (
        "{name}的婆婆年逾八旬，{year}年因脑梗瘫痪在床，生活完全不能自理。",
        "{years}年来，{name}每天为老人擦身、按摩、喂饭，老人身上从未长过一处褥疮。",
        "为了方便照顾老人，{name}放弃了外出务工的机会，在家门口打零工补贴家用。",
        "{name}还照顾着智力残疾的小叔子，把他当作自己的亲弟弟一样关心爱护。",
        "在{name}的影响下，两个孩子也都懂事孝顺，一家人和和睦睦，成为远近闻名的“和美家庭”。",
    ),
}
CLOSINGS = (
    "{name}用实际行动诠释了新时代农民的良好风貌，在群众中树立了好榜样。",
    "{name}的事迹在当地广为传颂，带动了身边更多的人向上向善。",
    "群众评价{name}：“平凡之中见精神，是我们身边实实在在的好人。”",
    "{name}常说：“做好事不图回报，只求问心无愧。”这朴实的话语，正是{sex_pronoun}为人处世的写照。",
)
LINKS = ("同时，", "不仅如此，", "此外，", "平日里，", "", "", "", "", "", "")
# Sentences that fit any category: the story is filled with these, each used once, so a long
# story never borrows deeds from another category or repeats itself.
GENERAL = (
    "村里修路缺人手，{name}二话不说扛起铁锹就上，一干就是半个多月，没领过一分工钱。",
    "每逢村里开展环境整治，{name}总是带头清理房前屋后的杂物，还动员左邻右舍一起参与。",
    "疫情防控期间，{name}主动报名当志愿者，在村口卡点值守了四十多个日夜。",
    "{name}家里并不宽裕，却总把自家种的蔬菜瓜果送给组里的困难户。",
    "村里的留守老人手机不会用，{name}就一遍遍耐心地教，帮他们学会和在外打工的子女视频通话。",
    "遇到邻里之间闹矛盾，{name}总会上门劝解，不少多年的心结都在{sex_pronoun}的调解下解开了。",
    "{name}常年参加村里的志愿服务队，累计服务时长已超过一千小时。",
    "每到农忙时节，{name}都会帮缺少劳力的人家抢收抢种，自己家的活却常常忙到深夜。",
    "{year}年冬天，组里一户人家房屋失火，{name}第一个冲上去帮忙扑救，又张罗着为受灾户筹集衣物被褥。",
    "{name}还自费订阅了法律、养殖方面的书刊，把学到的知识无偿分享给乡亲们。",
    "村里办“道德讲堂”，{name}多次上台讲述身边的好人好事，{sex_pronoun}朴实的话语打动了在场的每一个人。",
    "面对别人的夸奖，{name}总是摆摆手说：“都是些小事，不值一提。”",
    "在{name}的影响下，{sex_pronoun}的家人也加入了志愿服务的行列，周末常常一起去敬老院看望老人。",
    "这些年来，{name}先后帮助过的群众已记不清有多少，但乡亲们都记得{sex_pronoun}的好。",
    "{name}还主动承担起村里公共区域的保洁工作，把村口的小广场打扫得干干净净。",
    "有人问{name}图什么，{sex_pronoun}笑着说：“远亲不如近邻，大家好了，我心里才踏实。”",
    "村“两委”换届、人口普查等工作中，{name}都积极配合，主动帮助工作人员入户登记。",
    "看到村里的孩子放学后无处可去，{name}把自家的堂屋腾出来，办起了“四点半课堂”。",
    "{name}的事迹经村里推荐，在镇上的“身边好人”故事会上宣讲，引起了强烈反响。",
    "多年来，{name}从未向组织提过任何要求，始终保持着勤劳朴实、乐于助人的本色。",
)
OCCUPATIONS = ("村民", "个体经营户", "乡村医生", "小学教师", "村干部", "退休工人", "种植大户", "保洁员", "网格员")
POLITICAL = ("群众", "群众", "中共党员", "中共党员", "共青团员")
SUMMARIES = {
    "助人为乐": "{years}年如一日照顾孤寡老人和留守儿童，热心帮助邻里解决困难",
    "见义勇为": "不顾个人安危跳入河中救起落水儿童，并协助开展急救",
    "诚实守信": "丈夫病故后主动替夫还债{debt}万元，诚信经营小店{years}年",
    "敬业奉献": "扎根基层{years}年，防汛一线连续奋战，带领群众转移安置百余人",
    "孝老爱亲": "{years}年悉心照料瘫痪婆婆和残疾小叔子，一家人和睦相处",
}


def story(rng: random.Random, category: str, facts: dict, target: int) -> str:
    """A story of about *target* characters (at least 800, at most 2,000)."""
    target = max(820, min(target, STORY_MAX - 60))
    parts = [rng.choice(OPENINGS).format(**facts)]
    deeds = DEEDS.get(category, DEEDS["助人为乐"])
    extra = list(GENERAL)
    rng.shuffle(extra)
    # a linking word only before a sentence that starts with the name ("此外，张桂英……")
    order = list(deeds) + [(rng.choice(LINKS) if sentence.startswith("{name}") else "") + sentence
                           for sentence in extra]
    paragraphs: list[str] = []
    current = parts
    while count_chars("".join(paragraphs) + "".join(current)) < target:
        if not order:
            break  # every sentence used once: the story ends rather than repeating itself
        sentence = order.pop(0)
        current.append(sentence.format(**{**facts, "year": rng.randint(2012, 2025), "month": rng.randint(1, 12),
                                           "other": rng.choice(("王大爷", "李婆婆", "陈大爷", "刘奶奶"))}))
        if len(current) >= rng.randint(3, 5):
            paragraphs.append("".join(current))
            current = []
    if current:
        paragraphs.append("".join(current))
    paragraphs.append(rng.choice(CLOSINGS).format(**facts))
    text = "\n".join(paragraphs)
    while count_chars(text) > STORY_MAX and len(paragraphs) > 2:
        paragraphs.pop(-2)
        text = "\n".join(paragraphs)
    return text


def facts(rng: random.Random, name: str, sex: str, age: int, village: str) -> dict:
    return {"name": name, "sex_word": sex, "age": age, "village": village, "occupation": rng.choice(OCCUPATIONS),
            "political": rng.choice(POLITICAL), "years": rng.randint(5, 20), "debt": rng.randint(8, 30),
            "sex_pronoun": "他" if sex == "男" else "她", "year": rng.randint(2012, 2025), "month": rng.randint(1, 12),
            "other": "王大爷"}


def summary(category: str, data: dict) -> str:
    return SUMMARIES.get(category, SUMMARIES["助人为乐"]).format(**data)


def portrait(rng: random.Random, width: int = 240, height: int = 320) -> bytes:
    """A drawn head-and-shoulders silhouette on a coloured background, as PNG bytes."""
    from PIL import Image, ImageDraw

    background = rng.choice(((70, 130, 180), (200, 60, 60), (90, 150, 110), (230, 230, 235)))
    image = Image.new("RGB", (width, height), background)
    draw = ImageDraw.Draw(image)
    skin = rng.choice(((241, 204, 170), (224, 184, 150), (236, 196, 160)))
    cloth = rng.choice(((40, 40, 60), (30, 70, 120), (120, 30, 40), (230, 230, 230)))
    draw.ellipse((width * 0.12, height * 0.62, width * 0.88, height * 1.25), fill=cloth)
    draw.rectangle((width * 0.42, height * 0.48, width * 0.58, height * 0.66), fill=skin)
    draw.ellipse((width * 0.3, height * 0.18, width * 0.7, height * 0.58), fill=skin)
    draw.chord((width * 0.28, height * 0.14, width * 0.72, height * 0.48), 180, 360, fill=(30, 25, 20))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()

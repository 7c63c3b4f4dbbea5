"""居民身份证 images the tests draw themselves: random holders, several CJK faces, then photo damage.

A card is drawn with Pillow in the layout of the real one (labels in blue, values in black, the
number in a monospace face), then degraded the way a phone photo or a cheap scan is: rotated up to
±10°, blurred, lit unevenly, noisy and saved as a JPEG of quality 35–80. Seeded, so a failing card
can be drawn again.
"""
from __future__ import annotations

import io
import random
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont

from mediator.domain.enums import Gender
from mediator.domain.ethnic_groups import ETHNIC_GROUPS
from mediator.domain.validators import id_number_check_char

# Droid Sans Fallback is left out: it has no Latin digits (they draw as boxes).
CJK_FACES = tuple(p for p in (
    Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"),
    Path("/usr/share/fonts/truetype/arphic/uming.ttc"),
) if p.exists())
NUMBER_FACE = next((p for p in (Path("/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf"),
                                Path("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf")) if p.exists()),
                   CJK_FACES[0])

CARD_SIZE = (856, 540)  # 85.6 × 54 mm at 10 px/mm
_LABEL = (40, 90, 160)
_INK = (20, 20, 20)

_SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢"
_GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超霞平刚桂兰玉华建国志红梅春生德林海波文斌宁婷雪琴辉鹏"
_PLACES = (
    ("110105", "北京市朝阳区"), ("310104", "上海市徐汇区"), ("330106", "浙江省杭州市西湖区"),
    ("510107", "四川省成都市武侯区"), ("420102", "湖北省武汉市江岸区"), ("440305", "广东省深圳市南山区"),
    ("371002", "山东省威海市环翠区"), ("530102", "云南省昆明市五华区"), ("640104", "宁夏回族自治区银川市兴庆区"),
    ("522601", "贵州省黔东南苗族侗族自治州凯里市"),
)
_TOWNS = "东关 西湖 城南 新华 和平 长安 丰收 白沙 青山 柳林 石桥 红星".split()
_ROADS = "人民路 解放路 建设路 中山路 幸福街 朝阳路 团结巷 光明街".split()
_ISSUERS = ("公安局", "公安分局")


@dataclass(frozen=True)
class CardHolder:
    """What a drawn card says (the truth the reader is scored against)."""

    name: str
    gender: Gender
    ethnicity: str  # as the app stores it: 汉族
    birth_date: date
    address: str
    id_number: str
    issuer: str
    valid_period: str

    def fields(self) -> dict[str, str]:
        """The six fields a reading is compared on, as strings."""
        return {"name": self.name, "gender": self.gender.value, "ethnicity": self.ethnicity,
                "birth_date": self.birth_date.isoformat(), "address": self.address,
                "id_number": self.id_number}


def random_holder(rng: random.Random) -> CardHolder:
    region, place = rng.choice(_PLACES)
    birth = date(1940, 1, 1) + timedelta(days=rng.randrange(0, 365 * 65))
    gender = rng.choice([Gender.MALE, Gender.FEMALE])
    while True:  # a fair share of X check characters: they are the ones OCR gets wrong
        seq = rng.randrange(0, 1000)
        if (seq % 2 == 1) != (gender is Gender.MALE):
            seq = (seq + 1) % 1000
        first17 = f"{region}{birth:%Y%m%d}{seq:03d}"
        check = id_number_check_char(first17)
        if check == "X" or rng.random() < 0.8:
            break
    name = rng.choice(_SURNAMES) + "".join(rng.choice(_GIVEN) for _ in range(rng.choice([1, 2, 2])))
    village = rng.choice(["", f"{rng.choice(_TOWNS)}村", f"{rng.choice(_TOWNS)}社区"])
    address = (f"{place}{rng.choice(_TOWNS)}街道{village}{rng.choice(_ROADS)}{rng.randrange(1, 300)}号"
               + rng.choice(["", f"{rng.randrange(1, 30)}栋{rng.randrange(1, 6)}单元{rng.randrange(101, 2600)}室"]))
    if len(address) > 36:  # the card has room for three lines
        address = address[:address.index("号") + 1]
    ethnicity = rng.choice(["汉族"] * 6 + list(ETHNIC_GROUPS))
    start = date(2010, 1, 1) + timedelta(days=rng.randrange(0, 365 * 12))
    end = start.replace(year=start.year + 20, day=min(start.day, 28))
    return CardHolder(name=name, gender=gender, ethnicity=ethnicity, birth_date=birth, address=address,
                      id_number=first17 + check, issuer=f"{place}{rng.choice(_ISSUERS)}",
                      valid_period=f"{start:%Y.%m.%d}-{end:%Y.%m.%d}")


def _font(path: Path, size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(path), size)


def _background(rng: random.Random) -> Image.Image:
    """The card's pale printed ground: a soft two-colour gradient with faint wavy lines."""
    w, h = CARD_SIZE
    x = np.linspace(0, 1, w)[None, :]
    y = np.linspace(0, 1, h)[:, None]
    tint = np.array(rng.choice([(236, 242, 246), (244, 240, 232), (238, 244, 238)]), dtype=float)
    ground = tint[None, None, :] - 10 * (x + y)[:, :, None]
    waves = 4 * np.sin(x * 40 + y * 13)[:, :, None]
    return Image.fromarray(np.clip(ground + waves, 0, 255).astype(np.uint8))


def draw_front(holder: CardHolder, face: Path) -> Image.Image:
    img = _background(random.Random(holder.id_number))
    d = ImageDraw.Draw(img)
    label, value = _font(face, 26), _font(face, 30)
    x_label, x_value = 60, 160
    d.text((x_label, 52), "姓  名", font=label, fill=_LABEL)
    d.text((x_value, 48), holder.name, font=value, fill=_INK)
    d.text((x_label, 112), "性  别", font=label, fill=_LABEL)
    d.text((x_value, 108), holder.gender.label, font=value, fill=_INK)
    d.text((260, 112), "民  族", font=label, fill=_LABEL)
    d.text((360, 108), holder.ethnicity.removesuffix("族"), font=value, fill=_INK)  # the card prints 汉
    b = holder.birth_date
    d.text((x_label, 172), "出  生", font=label, fill=_LABEL)
    d.text((x_value, 168), f"{b.year}", font=value, fill=_INK)
    d.text((x_value + 80, 172), "年", font=label, fill=_LABEL)
    d.text((x_value + 125, 168), f"{b.month}", font=value, fill=_INK)
    d.text((x_value + 170, 172), "月", font=label, fill=_LABEL)
    d.text((x_value + 215, 168), f"{b.day}", font=value, fill=_INK)
    d.text((x_value + 260, 172), "日", font=label, fill=_LABEL)
    d.text((x_label, 232), "住  址", font=label, fill=_LABEL)
    per_line = 12
    for i in range(0, len(holder.address), per_line):
        d.text((x_value, 228 + (i // per_line) * 42), holder.address[i:i + per_line], font=value, fill=_INK)
    d.text((x_label, 440), "公民身份号码", font=label, fill=_LABEL)
    d.text((270, 434), holder.id_number, font=_font(NUMBER_FACE, 34), fill=_INK)
    # the photo: a grey frame with a head and shoulders
    d.rectangle((610, 60, 800, 300), fill=(214, 218, 222))
    d.ellipse((660, 90, 750, 200), fill=(170, 160, 150))
    d.chord((630, 190, 780, 360), 180, 360, fill=(90, 96, 110))
    return img


def draw_back(holder: CardHolder, face: Path) -> Image.Image:
    img = _background(random.Random(holder.id_number[::-1]))
    d = ImageDraw.Draw(img)
    d.ellipse((60, 40, 170, 150), outline=(200, 40, 40), width=6)  # the emblem, roughly
    d.text((250, 60), "中华人民共和国", font=_font(face, 44), fill=_INK)
    d.text((270, 150), "居民身份证", font=_font(face, 58), fill=_INK)
    label, value = _font(face, 26), _font(face, 28)
    d.text((150, 370), "签发机关", font=label, fill=_INK)
    d.text((290, 368), holder.issuer, font=value, fill=_INK)
    d.text((150, 430), "有效期限", font=label, fill=_INK)
    d.text((290, 428), holder.valid_period, font=value, fill=_INK)
    return img


def degrade(img: Image.Image, rng: random.Random) -> bytes:
    """A photo of the card: on a desk, turned, blurred, unevenly lit, noisy, as a JPEG."""
    margin = 40
    desk = Image.new("RGB", (img.width + 2 * margin, img.height + 2 * margin),
                     rng.choice([(90, 80, 70), (150, 150, 150), (60, 70, 90)]))
    desk.paste(img, (margin, margin))
    angle = rng.uniform(-10, 10)
    turned = desk.rotate(angle, resample=Image.Resampling.BICUBIC, expand=True, fillcolor=desk.getpixel((0, 0)))
    blurred = turned.filter(ImageFilter.GaussianBlur(rng.uniform(0.3, 1.3)))
    pixels = np.asarray(blurred, dtype=float)
    h, w = pixels.shape[:2]
    yy, xx = np.mgrid[0:h, 0:w]
    cx, cy = rng.uniform(0, w), rng.uniform(0, h)
    light = 1.0 - rng.uniform(0.2, 0.4) * np.hypot(xx - cx, yy - cy) / np.hypot(w, h)
    noisy = pixels * light[:, :, None] + np.random.default_rng(rng.randrange(2**32)).normal(0, 6, pixels.shape)
    out = Image.fromarray(np.clip(noisy, 0, 255).astype(np.uint8))
    buffer = io.BytesIO()
    out.save(buffer, "JPEG", quality=rng.randrange(35, 81))
    return buffer.getvalue()


@dataclass(frozen=True)
class RenderedCard:
    holder: CardHolder
    front: bytes  # JPEG
    back: bytes
    face: Path


def render_cards(count: int, seed: int = 2026) -> list[RenderedCard]:
    """``count`` cards, the faces taken in turn, each degraded differently."""
    rng = random.Random(seed)
    cards = []
    for i in range(count):
        holder = random_holder(rng)
        face = CJK_FACES[i % len(CJK_FACES)]
        cards.append(RenderedCard(holder, degrade(draw_front(holder, face), rng),
                                  degrade(draw_back(holder, face), rng), face))
    return cards


def write_card(card: RenderedCard, folder: Path, stem: str = "card") -> tuple[Path, Path]:
    """The card's two sides as JPEG files in ``folder``."""
    front, back = folder / f"{stem}-front.jpg", folder / f"{stem}-back.jpg"
    front.write_bytes(card.front)
    back.write_bytes(card.back)
    return front, back

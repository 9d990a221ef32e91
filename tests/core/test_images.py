"""The one header check every domain's photo and scan upload goes through."""

import io

import pytest
from PIL import Image

from civdesk.core import images


def _picture(fmt: str) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 6), (200, 30, 30)).save(buffer, fmt)
    return buffer.getvalue()


@pytest.mark.parametrize("fmt, name, mime", [("JPEG", "JPEG", "image/jpeg"), ("PNG", "PNG", "image/png"),
                                             ("GIF", "GIF", "image/gif"), ("BMP", "BMP", "image/bmp"),
                                             ("WEBP", "WebP", "image/webp")])
def test_real_pictures_are_known_by_their_header(fmt, name, mime):
    found = images.sniff(_picture(fmt))
    assert found is not None and (found.name, found.mime) == (name, mime)


def test_a_pdf_is_known_only_where_pdfs_are_allowed():
    data = b"%PDF-1.4\n%\xe2\xe3\n1 0 obj"
    assert images.sniff(data) is None
    assert images.mime(data, images.PHOTOS_OR_PDF) == "application/pdf"
    assert images.mime(data, images.PHOTOS) == ""


def test_the_allowed_kinds_limit_what_is_taken():
    assert images.sniff(_picture("GIF"), images.PHOTOS) is None
    assert images.mime(_picture("PNG"), images.PHOTOS) == "image/png"


@pytest.mark.parametrize("data", [b"", b"hello world", b"BM" + b"\0" * 10, b"RIFF\0\0\0\0WAVE", b"GIF90a"])
def test_not_a_picture(data):
    assert images.sniff(data) is None
    assert images.mime(data, images.PHOTOS_OR_PDF) == ""


def test_a_renamed_text_file_is_not_a_photo(tmp_path):
    path = tmp_path / "照片.jpg"
    path.write_text("不是照片", encoding="utf-8")
    assert images.sniff(path.read_bytes()) is None

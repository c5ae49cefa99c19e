"""Four stories, some told in two languages, for the tests of one-version-per-story lists."""

from dataclasses import dataclass
from datetime import timedelta

from django.utils import timezone

from articles.models import Article, Translation
from tests.factories import ArticleFactory, UserFactory, draft


@dataclass
class Stories:
    attention_en: Article  # original, 6 days ago
    attention_zh: Article  # its translation, 5 days ago
    only_zh: Article  # a story told in Chinese only, 4 days ago
    float_zh: Article  # original, 3 days ago
    float_en: Article  # its translation by another author, 2 days ago
    notes_en: Article  # original, 1 day ago; its Chinese translation is a draft
    notes_zh_draft: Article
    translator: object

    def published(self):
        return [
            self.attention_en,
            self.attention_zh,
            self.only_zh,
            self.float_zh,
            self.float_en,
            self.notes_en,
        ]


def build_stories(*, tags=("shared",), **extra):
    """Create the stories; every published version carries `tags`."""
    now = timezone.now()
    translator = UserFactory(username="translator", first_name="Tran", last_name="Slator")

    def article(title, language, days, **kwargs):
        return ArticleFactory(
            title=title,
            language=language,
            published_at=now - timedelta(days=days),
            tags=list(tags),
            **{**extra, **kwargs},
        )

    attention_en = article("Attention", "en", 6)
    attention_zh = article("注意力", "zh-hans", 5)
    only_zh = article("只有中文", "zh-hans", 4)
    float_zh = article("浮点数", "zh-hans", 3)
    float_en = article("Floating point", "en", 2, author=translator)
    notes_en = article("Notes", "en", 1)
    notes_zh_draft = draft(title="笔记草稿", language="zh-hans")
    Translation.objects.create(article=attention_zh, source=attention_en)
    Translation.objects.create(article=float_en, source=float_zh)
    Translation.objects.create(article=notes_zh_draft, source=notes_en)
    return Stories(
        attention_en,
        attention_zh,
        only_zh,
        float_zh,
        float_en,
        notes_en,
        notes_zh_draft,
        translator,
    )

from datetime import timedelta

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone

from articles.models import Article, Category


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = "Ada"
    last_name = factory.Sequence(lambda n: f"Writer{n}")
    password = factory.PostGenerationMethodCall("set_password", "correct horse battery")

    @factory.post_generation
    def role(self, create, extracted, **kwargs):
        if extracted:
            self.is_staff = True
            self.save()
            self.groups.add(Group.objects.get(name=extracted))


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Category

    name = factory.Sequence(lambda n: f"Category {n}")


class ArticleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Article
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Article number {n}")
    author = factory.SubFactory(UserFactory)
    body = "Some **Markdown** with $x^2$ math.\n\n## A heading\n\nMore text."
    status = Article.Status.PUBLISHED
    published_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=1))
    language = "en"

    @factory.post_generation
    def tags(self, create, extracted, **kwargs):
        if create and extracted:
            self.tags.set(extracted)

    @factory.post_generation
    def coauthors(self, create, extracted, **kwargs):
        if create and extracted:
            self.set_coauthors(extracted)


def draft(**kwargs):
    return ArticleFactory(status=Article.Status.DRAFT, published_at=None, **kwargs)


def scheduled(**kwargs):
    return ArticleFactory(published_at=timezone.now() + timedelta(days=3), **kwargs)


def writers():
    """Return three people for byline tests: Lin Wei, Maya Fischer, and kai (no full name)."""
    return (
        UserFactory(username="lin", first_name="Lin", last_name="Wei"),
        UserFactory(username="maya", first_name="Maya", last_name="Fischer"),
        UserFactory(username="kai", first_name="", last_name=""),
    )

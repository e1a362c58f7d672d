from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LibraryConfig(AppConfig):
    name = "kollegium.library"
    label = "library"
    verbose_name = _("Library")

    def ready(self) -> None:
        from django.db.models.signals import m2m_changed, post_save, pre_delete

        from kollegium.library import search
        from kollegium.library.models import Item

        def reindex(sender: object, instance: Item, raw: bool = False, **kwargs: object) -> None:
            # Runs inside the transaction that saved the item, so both commit or neither.
            if not raw:
                search.index_item(instance)

        post_save.connect(reindex, sender=Item, weak=False, dispatch_uid="library-reindex-item")

        def unindex(sender: object, instance: Item, **kwargs: object) -> None:
            # The row goes with the item (trigger); its words leave the vocabulary.
            search.unindex_item(instance.pk)

        pre_delete.connect(unindex, sender=Item, weak=False, dispatch_uid="library-unindex-item")

        def reindex_tags(sender: object, instance: object, action: str, **kwargs: object) -> None:
            # Authors, subjects and stages are access and filter tokens in the index.
            if action in {"post_add", "post_remove", "post_clear"} and isinstance(instance, Item):
                search.index_item(instance)

        for field in ("authors", "subjects", "stages"):
            m2m_changed.connect(
                reindex_tags,
                sender=getattr(Item, field).through,
                weak=False,
                dispatch_uid=f"library-reindex-{field}",
            )

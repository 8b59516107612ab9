from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SmsConfig(AppConfig):
    """Text-message participation: numbers, verification, opt-out and the provider gateway."""

    name = "community.sms"
    label = "sms"
    verbose_name = _("Text messages")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from community.notifications import register_channel
        from community.sms import privacy, tasks

        privacy.register()
        register_channel("sms", tasks.notifications_text_enqueue)

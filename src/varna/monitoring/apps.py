from django.apps import AppConfig
from django.utils.translation import gettext_lazy


class MonitoringConfig(AppConfig):
    name = "varna.monitoring"
    label = "monitoring"
    verbose_name = gettext_lazy("Monitoring")

from django.contrib import admin

from varna.about.models import ServiceStatement


@admin.register(ServiceStatement)
class ServiceStatementAdmin(admin.ModelAdmin):
    list_display = ["municipality", "compliance", "published_on"]

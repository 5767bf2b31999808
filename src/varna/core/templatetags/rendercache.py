"""`{% cachedfragment "name" stamp [vary ...] %}...{% endcachedfragment %}`: the enclosed output, rendered once
per name, stamp, values of `vary`, language and code revision (see `varna.core.rendercache`).

The stamp comes from the view, computed from the data the fragment shows; a stamp of None (a draft)
renders the fragment every time. Put nothing inside that depends on who is asking (their role, a CSRF
token, a CSP nonce): the fragment is shared by everyone who asks with the same stamp.
"""

from __future__ import annotations

from django import template
from django.template.base import FilterExpression, NodeList, Parser, Token
from django.template.context import Context
from django.utils.safestring import mark_safe

from varna.core import rendercache

register = template.Library()


class CachedFragmentNode(template.Node):
    def __init__(self, nodelist: NodeList, name: FilterExpression, stamp: FilterExpression,
                 vary: list[FilterExpression]) -> None:
        self.nodelist, self.name, self.stamp, self.vary = nodelist, name, stamp, vary

    def render(self, context: Context) -> str:
        stamp = self.stamp.resolve(context)
        name = str(self.name.resolve(context))
        if stamp is not None:
            stamp = (stamp, *(str(v.resolve(context)) for v in self.vary))
        return mark_safe(rendercache.get_or_render(  # noqa: S308 # nosec B308 B703 - the output of our own autoescaped template
            name, stamp, lambda: self.nodelist.render(context)))


@register.tag("cachedfragment")
def do_cachedfragment(parser: Parser, token: Token) -> CachedFragmentNode:
    bits = token.split_contents()
    if len(bits) < 3:
        raise template.TemplateSyntaxError(f"'{bits[0]}' takes a name and a stamp, then any values it varies by")
    nodelist = parser.parse(("endcachedfragment",))
    parser.delete_first_token()
    return CachedFragmentNode(nodelist, parser.compile_filter(bits[1]), parser.compile_filter(bits[2]),
                              [parser.compile_filter(bit) for bit in bits[3:]])

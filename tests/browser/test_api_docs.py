"""The interactive API documentation works under Värna's own Content Security Policy (no CDN, no inline code)."""

from __future__ import annotations

from typing import Any


def test_api_docs_render_their_operations_without_a_csp_violation(browser: Any, live_server: Any,
                                                                  demo_plan: Any) -> None:
    # A context that obeys the policy: the other browser tests bypass it only to inject axe-core.
    context = browser.new_context(base_url=live_server.url)
    page = context.new_page()
    violations: list[str] = []
    page.on("console", lambda message: violations.append(message.text)
            if "Content Security Policy" in message.text else None)
    blocked: list[str] = []
    page.on("requestfailed", lambda request: blocked.append(request.url))
    response = page.goto("/api/docs")
    assert response is not None
    assert response.status == 200
    assert "script-src" in response.headers["content-security-policy"]
    page.wait_for_selector(".swagger-ui .opblock", timeout=15_000)
    operations = page.locator(".swagger-ui .opblock-summary-path").all_inner_texts()
    assert any("/contacts" in path for path in operations)
    # Opening an operation shows its parameters: the page's scripts really run.
    page.locator(".swagger-ui .opblock-summary", has_text="/contacts").first.click()
    page.wait_for_selector(".swagger-ui .parameters-container")
    assert not violations, violations
    assert not blocked, blocked
    context.close()

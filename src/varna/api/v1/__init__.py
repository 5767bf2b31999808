"""Version 1 of the API: one router per app (`plans`, `followup`, `situation`, `meetings`, `training`,
`guidance`), their schemas in `schemas`. Each endpoint parses its input with its schema and calls the app's
selectors and services, the same ones as the web pages; `varna.api.api` mounts the routers and turns the
services' refusals into responses."""

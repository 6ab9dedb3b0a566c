"""Typed tools over the CRM, one module per family; importing tools.registry loads them all."""

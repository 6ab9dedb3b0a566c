"""The browser pages: sign-in, the chat with streamed answers, record pages. Mounted by adapters.web.app."""

"""The platform's own pages: home, centres, search, captcha, errors."""

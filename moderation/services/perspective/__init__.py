"""The Perspective API drop-in: analyze and suggest-score requests, answered as Perspective answers them."""

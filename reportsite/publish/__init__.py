"""Stage 6, publish: a built site -> the upload zip, its manifest and sitemap, the CMS hand-off."""

-- Being found and shared (docs/reader-site.md, "Search engines and social sites"): the images of
-- the site's identity, made once from the files the site_icon, site_logo and social_image
-- settings name (favicon, apple-touch-icon, manifest icons, publisher logo, default social
-- image), kept here so that serving them reads nothing else and a backup holds them; and an
-- index that reads a taxonomy's terms in id order for the sitemaps.

CREATE TABLE site_images (
    name TEXT PRIMARY KEY,          -- the file name it is served under: 'favicon.ico', 'site-logo.png'
    setting TEXT NOT NULL,          -- the setting it was made from
    content_type TEXT NOT NULL,
    width INTEGER NOT NULL,
    height INTEGER NOT NULL,
    body BLOB NOT NULL
);
CREATE INDEX site_images_setting ON site_images (setting);

-- What every page shows of them (icons, og:image, the logo) changes with them.
CREATE TRIGGER site_images_log_i AFTER INSERT ON site_images BEGIN
    INSERT INTO changes (kind, id) VALUES ('site', 0);
END;
CREATE TRIGGER site_images_log_u AFTER UPDATE ON site_images BEGIN
    INSERT INTO changes (kind, id) VALUES ('site', 0);
END;
CREATE TRIGGER site_images_log_d AFTER DELETE ON site_images BEGIN
    INSERT INTO changes (kind, id) VALUES ('site', 0);
END;

CREATE INDEX terms_taxonomy_id ON terms (taxonomy, id);

-- Being found and shared, as src/db/migrations/0007_seo.sql: the images of the site's identity
-- (favicon, apple-touch-icon, manifest icons, publisher logo, default social image), made once
-- from the files the site_icon, site_logo and social_image settings name and kept here, and an
-- index that reads a taxonomy's terms in id order for the sitemaps.

CREATE TABLE site_images (
    name TEXT PRIMARY KEY,          -- the file name it is served under: 'favicon.ico', 'site-logo.png'
    setting TEXT NOT NULL,          -- the setting it was made from
    content_type TEXT NOT NULL,
    width INTEGER NOT NULL,
    height INTEGER NOT NULL,
    body BYTEA NOT NULL
);
CREATE INDEX site_images_setting ON site_images (setting);

-- What every page shows of them (icons, og:image, the logo) changes with them: the site's write
-- lock first, then a 'site' change per row (site_log, 0005).
CREATE TRIGGER site_images_lock BEFORE INSERT OR UPDATE OR DELETE ON site_images
    FOR EACH STATEMENT EXECUTE FUNCTION gazette_write_lock();
CREATE TRIGGER site_images_log AFTER INSERT OR UPDATE OR DELETE ON site_images
    FOR EACH ROW EXECUTE FUNCTION site_log();

CREATE INDEX terms_taxonomy_id ON terms (taxonomy, id);

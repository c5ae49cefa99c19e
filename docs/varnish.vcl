# Varnish in front of Inkstone (docs/performance.md, "Behind a CDN or Varnish").
#
# Pages are cached for the s-maxage the site sends, and dropped the moment
# content changes: the site sends `BAN` with the surrogate keys of what
# changed (articles.caching.frontend), and every cached page tagged with one
# of them is banned. Start varnishd with `-p http_gzip_support=off` so the
# site's own Brotli and gzip variants pass through untouched.
vcl 4.1;

import std;

backend default {
    .host = "127.0.0.1";
    .port = "8000";
}

# Who may ban: the app servers.
acl purgers {
    "127.0.0.1";
    "::1";
}

sub vcl_recv {
    if (req.method == "BAN") {
        if (client.ip !~ purgers) {
            return (synth(405, "Not allowed"));
        }
        if (!req.http.Surrogate-Key) {
            return (synth(400, "Surrogate-Key required"));
        }
        # Keys are [a-z0-9.-] (the site makes them): safe inside a regex.
        if (!std.ban("obj.http.Surrogate-Key ~ (^|\s)(" + regsuball(req.http.Surrogate-Key, "\s+", "|") + ")(\s|$)")) {
            return (synth(400, std.ban_error()));
        }
        return (synth(200, "Banned"));
    }
    if (req.method != "GET" && req.method != "HEAD") {
        return (pass);
    }
    # Staff, authors and anyone who just wrote see uncached pages, as in the site.
    if (req.http.Cookie ~ "(^|; *)(sessionid|messages|inkstone_primary)=") {
        return (pass);
    }
    # One variant per encoding the site makes, whatever order the client lists them in.
    if (req.http.Accept-Encoding ~ "\bbr\b") {
        set req.http.Accept-Encoding = "br";
    } elsif (req.http.Accept-Encoding ~ "\bgzip\b") {
        set req.http.Accept-Encoding = "gzip";
    } else {
        unset req.http.Accept-Encoding;
    }
    return (hash);
}

sub vcl_backend_response {
    # Only what the site marks public and shared-cacheable (s-maxage) is kept.
    if (beresp.http.Cache-Control !~ "s-maxage" || beresp.http.Set-Cookie) {
        set beresp.uncacheable = true;
        set beresp.ttl = 120s;
        return (deliver);
    }
}

sub vcl_deliver {
    if (obj.hits > 0) {
        set resp.http.X-Cache = "HIT";
    } else {
        set resp.http.X-Cache = "MISS";
    }
    # The keys are for bans; readers have no use for them.
    unset resp.http.Surrogate-Key;
}

package cli

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"pukeko/app/httpsig"
	"pukeko/app/model"
	"pukeko/app/node"
	"pukeko/app/social"
	"pukeko/app/store"
)

// SeedOptions says what DevSeed writes.
type SeedOptions struct {
	Domain     string // a local domain of this server; main_domain when ""
	Identities int    // local identities, named <prefix><n>
	Posts      int    // posts in all, spread round-robin over the identities
	Follows    int    // how many of the others each identity follows
	Force      bool   // seed even though the database has users
}

// SeedResult counts what DevSeed wrote.
type SeedResult struct {
	Identities, Follows, Posts, Events int64
	Took                               time.Duration
}

// ErrNotEmpty refuses to seed a database that has users without --force:
// seed data must never mix into a real instance by accident.
var ErrNotEmpty = errors.New("the database has users: refusing to seed it without --force")

// seedPrefix starts the usernames of seeded identities.
const seedPrefix = "seed"

// DevSeed writes benchmark data in a few SQL statements: local identities
// (sharing ONE generated RSA key pair: no key generation per identity, so
// their signatures prove nothing), a user owning the first of them, follows
// between them (identity n follows the next Follows identities, accepted),
// and public posts already fanned out with their home-timeline events. It
// refuses to run unless the database has no users or opts.Force is set;
// as it creates a user, a second run needs Force too.
func DevSeed(ctx context.Context, in *social.Instance, opts SeedOptions) (*SeedResult, error) {
	start := time.Now()
	n, posts, follows := opts.Identities, opts.Posts, opts.Follows
	switch {
	case n < 1:
		return nil, fmt.Errorf("dev seed: --identities must be at least 1: %w", errUsage)
	case posts < 0 || follows < 0:
		return nil, fmt.Errorf("dev seed: --posts and --follows cannot be negative: %w", errUsage)
	case follows > 16383:
		return nil, fmt.Errorf("dev seed: --follows is at most 16383: %w", errUsage)
	case follows >= n && follows > 0:
		return nil, fmt.Errorf("dev seed: --follows must be below --identities (%d): %w", n, errUsage)
	}
	domain := opts.Domain
	if domain == "" {
		domain = in.MainDomain
	}
	d, err := store.Domain(ctx, in.DB, domain)
	if err != nil {
		return nil, err
	}
	if d == nil || !d.Local {
		return nil, fmt.Errorf("dev seed: %q is not a domain of this server (add it with pukeko domain add)", domain)
	}
	key, err := httpsig.GenerateKey()
	if err != nil {
		return nil, err
	}
	// URIs of username "\x01", split around it for SQL to fill in.
	actor := strings.SplitN(in.ActorURI(d, "\x01"), "\x01", 2)
	profile := strings.SplitN(in.ProfileURL(d, "\x01"), "\x01", 2)
	res := &SeedResult{}
	err = pgx.BeginFunc(ctx, in.DB, func(tx pgx.Tx) error {
		// One seeding at a time; the check and the user are in this
		// transaction.
		if _, err := tx.Exec(ctx, "LOCK TABLE users IN EXCLUSIVE MODE"); err != nil {
			return err
		}
		var users int64
		if err := tx.QueryRow(ctx, "SELECT count(*) FROM users").Scan(&users); err != nil {
			return err
		}
		if users > 0 && !opts.Force {
			return ErrNotEmpty
		}
		// Numbering continues after earlier seeded identities.
		var offset int64
		if err := tx.QueryRow(ctx, `SELECT coalesce(max(substring(username FROM '^`+seedPrefix+`([0-9]+)$')::bigint), 0)
			FROM identities WHERE local AND domain = $1`, d.Domain).Scan(&offset); err != nil {
			return err
		}
		// Snowflake ids in the past, one millisecond apart per row and a
		// low part per table, so they never meet ids made now.
		now := time.Now().UnixMilli()
		idBase := now - int64(n) - int64(posts) - 1000
		postBase := now - int64(posts) - 1
		q := `INSERT INTO identities (id, uri, local, username, domain, actor_type, name, url, discoverable, inbox_uri,
				shared_inbox_uri, outbox_uri, followers_uri, following_uri, featured_uri, public_key_id, public_key,
				private_key, state, state_next_attempt)
			SELECT ((($1::bigint + g) << 16) | 1), u.uri, true, u.name, $2, 'Person', 'Seed ' || ($3::bigint + g), $5 || u.name || $6,
				true, u.uri || '/inbox', $7, u.uri || '/outbox', u.uri || '/followers', u.uri || '/following',
				u.uri || '/featured', u.uri || '#main-key', $8, $9, 'local', NULL
			FROM generate_series(1, $10::bigint) g,
				LATERAL (SELECT '` + seedPrefix + `' || ($3::bigint + g) AS name) n,
				LATERAL (SELECT $4 || n.name || $11 AS uri, n.name) u`
		tag, err := tx.Exec(ctx, q, idBase, d.Domain, offset, actor[0], profile[0], profile[1],
			in.SharedInboxURI(d.URIDomain()), httpsig.EncodePublicKeyPEM(&key.PublicKey), httpsig.EncodePrivateKeyPEM(key),
			n, actor[1])
		if err != nil {
			return fmt.Errorf("dev seed: identities: %w", err)
		}
		res.Identities = tag.RowsAffected()
		first := model.ID(((idBase + 1) << 16) | 1)
		userID := model.NewID()
		if _, err := tx.Exec(ctx, `INSERT INTO users (id, email, password_hash) VALUES ($1, $2, '!')`,
			userID, fmt.Sprintf("%s%d@%s", seedPrefix, offset+1, d.Domain)); err != nil {
			return fmt.Errorf("dev seed: user: %w", err)
		}
		if _, err := tx.Exec(ctx, "INSERT INTO user_identities (user_id, identity_id) VALUES ($1, $2)", userID, first); err != nil {
			return err
		}
		// Identity g (1..n) follows g+1 .. g+follows, wrapping around.
		tag, err = tx.Exec(ctx, `INSERT INTO follows (id, source_id, target_id, uri, state, state_next_attempt)
			SELECT ((($1::bigint + g) << 16) | 2 | (j << 2)), s.id, t.id, s.uri || '#follows/' || j, 'accepted', NULL
			FROM generate_series(1, $2::bigint) g CROSS JOIN generate_series(1, $3::bigint) j
			JOIN identities s ON s.id = ((($1::bigint + g) << 16) | 1)
			JOIN identities t ON t.id = ((($1::bigint + ((g - 1 + j) % $2::bigint) + 1) << 16) | 1)`, idBase, n, follows)
		if err != nil {
			return fmt.Errorf("dev seed: follows: %w", err)
		}
		res.Follows = tag.RowsAffected()
		// Post k (1..posts) by identity ((k-1) mod n)+1, already fanned out.
		tag, err = tx.Exec(ctx, `INSERT INTO posts (id, author_id, local, uri, url, object_type, visibility, content, source,
				published, created, state, state_next_attempt)
			SELECT p.id, a.id, true, a.uri || '/posts/' || p.id, a.url || '/' || p.id, 'Note', 'public',
				'<p>Seed post ' || k || ' by ' || a.username || '</p>', 'Seed post ' || k || ' by ' || a.username,
				to_timestamp(($1::bigint + k) / 1000.0), now(), 'fanned_out', NULL
			FROM generate_series(1, $2::bigint) k
			CROSS JOIN LATERAL (SELECT ((($1::bigint + k) << 16) | 3) AS id) p
			JOIN identities a ON a.id = ((($3::bigint + ((k - 1) % $4::bigint) + 1) << 16) | 1)`, postBase, posts, idBase, n)
		if err != nil {
			return fmt.Errorf("dev seed: posts: %w", err)
		}
		res.Posts = tag.RowsAffected()
		// Home timelines: every post for its author and the author's followers.
		tag, err = tx.Exec(ctx, `INSERT INTO timeline_events (identity_id, type, post_id, subject_id, created)
			SELECT r.id, 'post', p.id, p.author_id, p.published FROM posts p
			CROSS JOIN LATERAL (SELECT p.author_id AS id UNION ALL
				SELECT f.source_id FROM follows f WHERE f.target_id = p.author_id AND f.state = 'accepted') r
			WHERE p.id BETWEEN ((($1::bigint + 1) << 16) | 3) AND ((($1::bigint + $2::bigint) << 16) | 3)`, postBase, posts)
		if err != nil {
			return fmt.Errorf("dev seed: timeline events: %w", err)
		}
		res.Events = tag.RowsAffected()
		return nil
	})
	if err != nil {
		return nil, err
	}
	res.Took = time.Since(start)
	return res, nil
}

func runDevSeed(ctx context.Context, stdio IO, args []string) error {
	fs, path := newFlags("dev seed", "--identities N --posts M --follows K [--domain DOMAIN] [--force]",
		"Fill the database with benchmark data, fast, in SQL: N local identities named "+seedPrefix+"1, "+seedPrefix+"2, ...\n"+
			"that ALL SHARE ONE generated RSA key pair (no key generation per identity: their signatures prove nothing),\n"+
			"a user owning the first, each identity following the next K, and M public posts spread over them with\n"+
			"their home-timeline events. For development and benchmarks only: it refuses to run on a database that\n"+
			"has users unless --force is given (it creates a user, so a second run needs --force too).", stdio)
	identities := fs.Int("identities", 100, "how many local identities to create")
	posts := fs.Int("posts", 1000, "how many posts to create, in all")
	follows := fs.Int("follows", 10, "how many others each identity follows (below --identities)")
	domain := fs.String("domain", "", "the local domain of the identities (default: main_domain)")
	force := fs.Bool("force", false, "seed even though the database has users")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	s, err := openAdmin(ctx, *path, "dev-seed", stdio)
	if err != nil {
		return err
	}
	defer s.Close()
	in, err := node.NewInstance(s.cfg, s.db.Pool, s.logger, nil)
	if err != nil {
		return err
	}
	res, err := DevSeed(ctx, in, SeedOptions{Domain: *domain, Identities: *identities,
		Posts: *posts, Follows: *follows, Force: *force})
	if err != nil {
		return err
	}
	fmt.Fprintf(stdio.Stdout, "seeded %d identities (one shared key pair), %d follows, %d posts, %d home timeline events in %v\n",
		res.Identities, res.Follows, res.Posts, res.Events, res.Took.Round(time.Millisecond))
	return nil
}

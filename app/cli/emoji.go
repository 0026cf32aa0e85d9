package cli

import (
	"context"
	"fmt"
	"os"

	"pukeko/app/node"
	"pukeko/app/social"
	"pukeko/app/store"
)

func runEmojiAdd(ctx context.Context, stdio IO, args []string) error {
	fs, path := newFlags("emoji add", "--shortcode NAME --file IMAGE [--domain DOMAIN] [--category C] [--hidden]",
		"Add (or replace) a custom emoji: a PNG, GIF or WebP image within media.max_emoji_size.", stdio)
	shortcode := fs.String("shortcode", "", "name used as :name: (required)")
	file := fs.String("file", "", "image file (required)")
	domain := fs.String("domain", "", "offer it only on this domain (default: every domain)")
	category := fs.String("category", "", "picker category")
	hidden := fs.Bool("hidden", false, "hide it from emoji pickers")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *shortcode == "" || *file == "" {
		return fmt.Errorf("emoji add: --shortcode and --file are required: %w", errUsage)
	}
	data, err := os.ReadFile(*file)
	if err != nil {
		return fmt.Errorf("emoji add: %w", err)
	}
	s, err := openAdmin(ctx, *path, "emoji-add", stdio)
	if err != nil {
		return err
	}
	defer s.Close()
	in, err := node.NewInstance(s.cfg, s.db.Pool, s.logger, nil)
	if err != nil {
		return err
	}
	e, err := in.AddLocalEmoji(ctx, social.LocalEmojiOptions{Shortcode: *shortcode, Image: data, Domain: *domain,
		Category: *category, Hidden: *hidden})
	if err != nil {
		return err
	}
	fmt.Fprintf(stdio.Stdout, "added :%s: (%s)\n", e.Shortcode, e.ImageURL)
	return nil
}

func runEmojiList(ctx context.Context, stdio IO, args []string) error {
	fs, path := newFlags("emoji list", "[--domain DOMAIN]", "List the custom emoji (of one domain).", stdio)
	domain := fs.String("domain", "", "only those offered on this domain")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	s, err := openAdmin(ctx, *path, "emoji-list", stdio)
	if err != nil {
		return err
	}
	defer s.Close()
	list, err := store.LocalEmoji(ctx, s.db.Pool, *domain)
	if err != nil {
		return err
	}
	for _, e := range list {
		fmt.Fprintf(stdio.Stdout, ":%s:\t%s\n", e.Shortcode, e.ImageURL)
	}
	return nil
}

func runEmojiRemove(ctx context.Context, stdio IO, args []string) error {
	fs, path := newFlags("emoji remove", "--shortcode NAME", "Remove a custom emoji; its image is deleted.", stdio)
	shortcode := fs.String("shortcode", "", "name of the emoji (required)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *shortcode == "" {
		return fmt.Errorf("emoji remove: --shortcode is required: %w", errUsage)
	}
	s, err := openAdmin(ctx, *path, "emoji-remove", stdio)
	if err != nil {
		return err
	}
	defer s.Close()
	ok, err := store.DeleteLocalEmoji(ctx, s.db.Pool, *shortcode)
	if err != nil {
		return err
	}
	if !ok {
		return fmt.Errorf("emoji remove: no emoji :%s:", *shortcode)
	}
	fmt.Fprintf(stdio.Stdout, "removed :%s:\n", *shortcode)
	return nil
}

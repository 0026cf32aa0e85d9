// Command pukeko is a federated microblogging server: ActivityPub to the
// fediverse, the Mastodon client API to apps, in one static binary.
package main

import (
	"os"

	"pukeko/app/cli"
)

func main() {
	os.Exit(cli.Main(os.Args[1:], cli.StdIO()))
}

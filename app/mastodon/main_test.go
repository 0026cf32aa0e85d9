package mastodon_test

import (
	"testing"

	"pukeko/app/testkit"
)

func TestMain(m *testing.M) { testkit.Main(m) }

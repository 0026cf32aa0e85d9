package email

import (
	"testing"

	"pukeko/app/testkit"
)

func TestMain(m *testing.M) { testkit.Main(m) }

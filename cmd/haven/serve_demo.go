package main

import (
	"context"
	"io"
)

func seedDemo(ctx context.Context, n *node, w io.Writer, url string) error { return nil }

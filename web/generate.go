package web

//go:generate go run ./internal/gen -out dist

"""The daily receivables digest: data gathered from the store, and the Block Kit message built from it."""

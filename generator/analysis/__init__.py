"""From entries to the merged model and what it says: merge, conflicts, selections."""

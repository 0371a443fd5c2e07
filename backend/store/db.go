package store

// Each method below is the Tx method of the same name in a transaction of
// its own. Use Update to combine several writes atomically.

// GetProfile returns the profile id, or ErrNotFound.
func (db *DB) GetProfile(id string) (Profile, error) {
	return view(db, func(tx *Tx) (Profile, error) { return tx.GetProfile(id) })
}

// PutProfile creates or replaces a profile.
func (db *DB) PutProfile(p Profile) error {
	return db.Update(func(tx *Tx) error { return tx.PutProfile(p) })
}

// ListProfiles returns every profile, ordered by ID.
func (db *DB) ListProfiles() ([]Profile, error) { return view(db, (*Tx).ListProfiles) }

// DeleteProfile removes a profile; a missing one is not an error.
func (db *DB) DeleteProfile(id string) error {
	return db.Update(func(tx *Tx) error { return tx.DeleteProfile(id) })
}

// GetPage returns the Page id, or ErrNotFound.
func (db *DB) GetPage(id string) (Page, error) {
	return view(db, func(tx *Tx) (Page, error) { return tx.GetPage(id) })
}

// PutPage creates or replaces a Page.
func (db *DB) PutPage(p Page) error {
	return db.Update(func(tx *Tx) error { return tx.PutPage(p) })
}

// ListPages returns every Page, ordered by ID.
func (db *DB) ListPages() ([]Page, error) { return view(db, (*Tx).ListPages) }

// CountPages counts the Pages keep says yes to (see Tx.CountPages).
func (db *DB) CountPages(keep func(*Page) bool) (int, error) {
	return view(db, func(tx *Tx) (int, error) { return tx.CountPages(keep) })
}

// UpdatePage atomically reads the Page id, lets fn change it and writes it
// back; if fn returns an error nothing is written and that error is returned.
func (db *DB) UpdatePage(id string, fn func(*Page) error) error {
	_, err := update(db, func(tx *Tx) (Page, error) { return tx.UpdatePage(id, fn) })
	return err
}

// AppendStatus adds change to the end of the Page's status history.
func (db *DB) AppendStatus(pageID string, change StatusChange) error {
	return db.Update(func(tx *Tx) error { return tx.AppendStatus(pageID, change) })
}

// StatusHistory returns the Page's status changes, oldest first.
func (db *DB) StatusHistory(pageID string) ([]StatusChange, error) {
	return view(db, func(tx *Tx) ([]StatusChange, error) { return tx.StatusHistory(pageID) })
}

// AppendActivity adds a to the Page's activity log and returns it with its Seq.
func (db *DB) AppendActivity(pageID string, a Activity) (Activity, error) {
	return update(db, func(tx *Tx) (Activity, error) { return tx.AppendActivity(pageID, a) })
}

// Activity returns the Page's newest activity first, at most limit entries
// (all when limit <= 0).
func (db *DB) Activity(pageID string, limit int) ([]Activity, error) {
	return view(db, func(tx *Tx) ([]Activity, error) { return tx.Activity(pageID, limit) })
}

// AllActivity returns the Page's whole activity log, oldest first.
func (db *DB) AllActivity(pageID string) ([]Activity, error) {
	return view(db, func(tx *Tx) ([]Activity, error) { return tx.AllActivity(pageID) })
}

// RecordTransition writes the Page change, its status history entry and its
// activity entries in one transaction, so a crash never leaves them
// disagreeing. See Tx.RecordTransition.
func (db *DB) RecordTransition(pageID string, mutate func(*Page) error, change *StatusChange, acts ...Activity) (Page, error) {
	return update(db, func(tx *Tx) (Page, error) { return tx.RecordTransition(pageID, mutate, change, acts...) })
}

// GetSettings returns the settings, with defaults for whatever was never set.
func (db *DB) GetSettings() (Settings, error) { return view(db, (*Tx).Settings) }

// PutSettings validates and stores s; invalid settings change nothing.
func (db *DB) PutSettings(s Settings) error {
	return db.Update(func(tx *Tx) error { return tx.PutSettings(s) })
}

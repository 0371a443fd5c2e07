package store

import (
	"fmt"
	"time"
)

// A check reads every Page every few minutes, and for most of them only
// its check times move. Those times go to bucketChecked, a few dozen bytes
// a Page, instead of the Page's whole record being rewritten: an unchanged
// check of 1,000 Pages writes about 60 KB, not a megabyte. Reads lay them
// over the record; writing the record (PutPage) takes them in and drops
// the entry, so the record is whole again.

// stampsOf are the check times of p, in the order they are stored.
func stampsOf(p *Page) [3]*time.Time {
	return [3]*time.Time{&p.CheckedAt, &p.RolesCheckedAt, &p.WebhooksCheckedAt}
}

// encodeStamps stores each time as its binary form after a length byte.
func encodeStamps(p Page) ([]byte, error) {
	var out []byte
	for _, t := range stampsOf(&p) {
		b, err := t.UTC().Round(0).MarshalBinary()
		if err != nil {
			return nil, err
		}
		out = append(append(out, byte(len(b))), b...)
	}
	return out, nil
}

// layStamps sets p's check times from an entry of bucketChecked.
func layStamps(p *Page, raw []byte) error {
	for _, t := range stampsOf(p) {
		if len(raw) == 0 || len(raw) < 1+int(raw[0]) {
			return fmt.Errorf("its check times are cut short")
		}
		var v time.Time
		if err := v.UnmarshalBinary(raw[1 : 1+raw[0]]); err != nil {
			return err
		}
		*t = v.UTC()
		if v.IsZero() {
			*t = time.Time{}
		}
		raw = raw[1+raw[0]:]
	}
	if len(raw) != 0 {
		return fmt.Errorf("its check times run on")
	}
	return nil
}

// sameBesideStamps reports whether p and q make the same record but for
// their check times.
func (p Page) sameBesideStamps(q Page) bool {
	p.CheckedAt, p.RolesCheckedAt, p.WebhooksCheckedAt = q.CheckedAt, q.RolesCheckedAt, q.WebhooksCheckedAt
	return p.sameRecord(q)
}

// withStamps is p as read: its record with the check times written since laid over it.
func (tx *Tx) withStamps(p Page) (Page, error) {
	b := tx.tx.Bucket(bucketChecked)
	if b == nil {
		return p, nil
	}
	if raw := b.Get([]byte(p.ID)); raw != nil {
		if err := layStamps(&p, raw); err != nil {
			return Page{}, tx.corrupt("Page", p.ID, err)
		}
	}
	return p, nil
}

// putStamps writes only p's check times; false when this file has no place
// for them (the caller writes the record).
func (tx *Tx) putStamps(p Page) (bool, error) {
	b := tx.tx.Bucket(bucketChecked)
	if b == nil {
		return false, nil
	}
	raw, err := encodeStamps(p)
	if err != nil {
		return false, err
	}
	return true, b.Put([]byte(p.ID), raw)
}

// dropStamps forgets the check times written apart: the record just
// written holds them.
func (tx *Tx) dropStamps(id string) error {
	if b := tx.tx.Bucket(bucketChecked); b != nil {
		return b.Delete([]byte(id))
	}
	return nil
}

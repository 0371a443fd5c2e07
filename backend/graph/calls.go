package graph

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"strings"
)

// User is the person behind a user token.
type User struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

// Me returns the person the user token belongs to.
func (c *Client) Me(ctx context.Context, userToken string) (User, error) {
	var u User
	err := c.do(ctx, call{method: "GET", path: "me", params: url.Values{"fields": {"id,name"}}, token: userToken}, &u)
	if err == nil && u.ID == "" {
		err = &UnavailableError{Op: "GET /me", HTTPStatus: 200, Cause: errors.New("answer has no id")}
	}
	return u, err
}

// Permission is one scope of a user token; Status is granted, declined or expired.
type Permission struct {
	Permission string `json:"permission"`
	Status     string `json:"status"`
}

// Permissions lists what the person granted and declined to the app.
func (c *Client) Permissions(ctx context.Context, userToken string) ([]Permission, error) {
	return getAll[Permission](ctx, c, call{method: "GET", path: "me/permissions", token: userToken})
}

// Instagram is the Instagram professional account linked to a Page.
type Instagram struct {
	ID       string `json:"id"`
	Username string `json:"username"`
}

// PageAccount is one Page of /me/accounts, with its Page token.
type PageAccount struct {
	ID          string     `json:"id"`
	Name        string     `json:"name"`
	Category    string     `json:"category"` // localized by Facebook
	AccessToken string     `json:"access_token"`
	Tasks       []string   `json:"tasks"`
	Instagram   *Instagram `json:"instagram_business_account"`
}

// AccountsFields is what Accounts asks for each Page.
const AccountsFields = "id,name,category,access_token,tasks,instagram_business_account{id,username}"

// Accounts lists the Pages the person has a role on, following every cursor
// page. Pages reached only through a Business Portfolio may be missing here
// (FACEBOOK.md §9, complaint 3): fetch those one by one with Page.
func (c *Client) Accounts(ctx context.Context, userToken string) ([]PageAccount, error) {
	return getAll[PageAccount](ctx, c, call{method: "GET", path: "me/accounts",
		params: url.Values{"fields": {AccountsFields}, "limit": {"100"}}, token: userToken})
}

// AccountTasks lists the person's tasks on each of their Pages: Accounts
// without the Page tokens, for checks that need the roles only.
func (c *Client) AccountTasks(ctx context.Context, userToken string) ([]PageAccount, error) {
	return getAll[PageAccount](ctx, c, call{method: "GET", path: "me/accounts",
		params: url.Values{"fields": {"id,tasks"}, "limit": {"100"}}, token: userToken})
}

// PageInfo is what Page returns; fields not asked for stay empty.
type PageInfo struct {
	ID          string     `json:"id"`
	Name        string     `json:"name"`
	Category    string     `json:"category"`
	AccessToken string     `json:"access_token"`
	Tasks       []string   `json:"tasks"`
	Instagram   *Instagram `json:"instagram_business_account"`
}

// Page reads one Page. With a user token and fields including access_token it
// yields the Page token of a Page reached through a Business Portfolio; with
// the Page token and the default fields (id,name) it is the cheap probe.
func (c *Client) Page(ctx context.Context, pageID, token string, fields ...string) (PageInfo, error) {
	id, err := pathID("Page ID", pageID)
	if err != nil {
		return PageInfo{}, err
	}
	if len(fields) == 0 {
		fields = []string{"id", "name"}
	}
	r := call{method: "GET", path: id, params: url.Values{"fields": {strings.Join(fields, ",")}}, token: token}
	status, body, err := c.send(ctx, r)
	if err != nil {
		return PageInfo{}, err
	}
	return decodePage(r.op(), status, body, pageID)
}

// ErrNotThePage is the cause (errors.Is) of the *UnavailableError for a
// success answer to a Page read that does not confirm the Page: not a JSON
// object, no id, or another object's id. Facebook did answer, so it is not
// "unreachable"; but it said nothing about the Page, so it is no verdict.
var ErrNotThePage = errors.New("the answer is not the Page that was asked for")

// DecodePage reads a batch item that read the Page pageID (the monitor's
// probe) the way Client.Page reads its answer.
func (r BatchResponse) DecodePage(pageID string) (PageInfo, error) {
	if r.Code == 0 {
		return PageInfo{}, r.Err()
	}
	return decodePage(opBatchItem, r.Code, r.Body, pageID)
}

// decodePage turns a Page read into PageInfo, or the error the answer
// carries: Facebook's error model in any shape and at any status (an error
// inside a 200 body, the legacy error_code/error_msg pair) comes first;
// then a success is a confirmation only when it names pageID.
func decodePage(op string, status int, body []byte, pageID string) (PageInfo, error) {
	if err := CheckResponse(op, status, body); err != nil {
		return PageInfo{}, err
	}
	var p PageInfo
	if err := json.Unmarshal(body, &p); err != nil {
		// false, [], a string: Graph's old "not visible" answer is a bare false.
		return PageInfo{}, &UnavailableError{Op: op, HTTPStatus: status, Cause: fmt.Errorf("%w: %s", ErrNotThePage, describeKind(body))}
	}
	switch {
	case p.ID == "":
		return PageInfo{}, &UnavailableError{Op: op, HTTPStatus: status, Cause: fmt.Errorf("%w: the answer has no id", ErrNotThePage)}
	case p.ID != pageID:
		return PageInfo{}, &UnavailableError{Op: op, HTTPStatus: status, Cause: fmt.Errorf("%w: the answer is about another object", ErrNotThePage)}
	}
	return p, nil
}

// describeKind names the JSON kind of a body without quoting it.
func describeKind(body []byte) string {
	s := strings.TrimSpace(string(body))
	switch {
	case s == "":
		return "the answer is empty"
	case s[0] == '[':
		return "the answer is a list"
	case s == "true" || s == "false":
		return "the answer is a bare " + s
	case s[0] == '"':
		return "the answer is a bare string"
	}
	return "the answer is not a Page object"
}

// SubscribedApp is an app receiving the Page's webhooks.
type SubscribedApp struct {
	ID               string   `json:"id"`
	Name             string   `json:"name"`
	SubscribedFields []string `json:"subscribed_fields"`
}

// SubscribedApps lists the apps subscribed to the Page's webhooks.
func (c *Client) SubscribedApps(ctx context.Context, pageID, pageToken string) ([]SubscribedApp, error) {
	id, err := pathID("Page ID", pageID)
	if err != nil {
		return nil, err
	}
	return getAll[SubscribedApp](ctx, c, call{method: "GET", path: id + "/subscribed_apps", token: pageToken})
}

// Subscribe subscribes the app to the Page's webhook fields (e.g. "messages", "feed").
func (c *Client) Subscribe(ctx context.Context, pageID, pageToken string, fields []string) error {
	id, err := pathID("Page ID", pageID)
	if err != nil {
		return err
	}
	if len(fields) == 0 {
		return errors.New("graph: Subscribe needs at least one webhook field")
	}
	return c.success(ctx, call{method: "POST", path: id + "/subscribed_apps",
		params: url.Values{"subscribed_fields": {strings.Join(fields, ",")}}, token: pageToken})
}

// Unsubscribe removes the app's webhook subscription from the Page.
func (c *Client) Unsubscribe(ctx context.Context, pageID, pageToken string) error {
	id, err := pathID("Page ID", pageID)
	if err != nil {
		return err
	}
	return c.success(ctx, call{method: "DELETE", path: id + "/subscribed_apps", token: pageToken})
}

// success runs a call answered by {"success":true}; Facebook has been seen
// writing the value as the string "true" too (FACEBOOK.md §5).
func (c *Client) success(ctx context.Context, r call) error {
	var resp struct {
		Success json.RawMessage `json:"success"`
	}
	if err := c.do(ctx, r, &resp); err != nil {
		return err
	}
	if !jsonBool(resp.Success) {
		return &UnavailableError{Op: r.op(), HTTPStatus: 200, Cause: errors.New("Facebook did not confirm success")}
	}
	return nil
}

// maxPages stops a server that keeps handing out new cursors.
const maxPages = 1000

// getAll reads a list endpoint to its end. It continues with cursors.after
// (or the query of paging.next when there is no cursor) on the same path, so
// our own token and proof are sent, never those embedded in paging.next.
func getAll[T any](ctx context.Context, c *Client, r call) ([]T, error) {
	var all []T
	seen := map[string]bool{}
	for range maxPages {
		var resp struct {
			Data   *[]T `json:"data"`
			Paging struct {
				Cursors struct {
					After string `json:"after"`
				} `json:"cursors"`
				Next string `json:"next"`
			} `json:"paging"`
		}
		if err := c.do(ctx, r, &resp); err != nil {
			return nil, err
		}
		if resp.Data == nil {
			return nil, &UnavailableError{Op: r.op(), HTTPStatus: 200, Cause: errors.New(`answer has no "data" list`)}
		}
		all = append(all, *resp.Data...)
		if resp.Paging.Next == "" {
			return all, nil // Facebook leaves out "next" on the last page
		}
		next, err := nextParams(r.params, resp.Paging.Cursors.After, resp.Paging.Next)
		if err != nil {
			return nil, &UnavailableError{Op: r.op(), HTTPStatus: 200, Cause: err}
		}
		key := next.Encode()
		if seen[key] {
			return nil, &UnavailableError{Op: r.op(), HTTPStatus: 200, Cause: errors.New("paging did not advance")}
		}
		seen[key] = true
		r.params = next
	}
	return nil, &UnavailableError{Op: r.op(), HTTPStatus: 200, Cause: errors.New("too many pages")}
}

func nextParams(base url.Values, after, next string) (url.Values, error) {
	p := url.Values{}
	for k, v := range base {
		p[k] = v
	}
	if after != "" {
		p.Set("after", after)
		return p, nil
	}
	nu, err := url.Parse(next)
	if err != nil || len(nu.Query()) == 0 {
		return nil, errors.New("paging.next has neither a cursor nor a query")
	}
	for k, v := range nu.Query() {
		switch k {
		case "access_token", "appsecret_proof":
		default:
			p[k] = v
		}
	}
	return p, nil
}

package sandbox

import "fmt"

// AddPages gives Dana n more Pages with every task, for load tests and
// benchmarks ("Load Page 0001", ...). Reset removes them.
func (s *Server) AddPages(n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	base := len(s.pages)
	for i := 1; i <= n; i++ {
		id := fmt.Sprintf("1045185390%05d", base+i)
		p := &Page{ID: id, Name: fmt.Sprintf("Load Page %04d", base+i), Category: "Bakery", CategoryID: "2203",
			Link: "https://www.facebook.com/" + id, SubscribedTo: []string{"feed", "messages"}}
		s.pages, s.pageByID[id] = append(s.pages, p), p
		s.roles[DanaID][id] = &role{tasks: append([]string(nil), allTasks...)}
	}
}

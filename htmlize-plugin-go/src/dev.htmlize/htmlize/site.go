package htmlize

import (
	"context"
	"errors"
	"fmt"
	"time"

	htmlizev1 "dev.htmlize/htmlize/v1"
)

// SiteTimeout bounds each call a Site makes to the host.
const SiteTimeout = 60 * time.Second

// errNoSite is the answer of a Site the host does not offer.
var errNoSite = errors.New("the host offers no htmlize.v1.Site service (ConfigureRequest site_broker_id is 0)")

// Site is the whole site being built, as the host offers it (the htmlize.v1.Site service, reached through
// go-plugin's broker): every page's metadata, known before the first page renders, so lookups see pages not
// rendered yet. Configure gets it; it is safe for concurrent use until the plugin exits. Each call is a round trip
// to the host, and the site does not change during a build, so a plugin that looks up many pages may keep what it
// gets. A host that offers no site gives a Site whose every call fails, saying so (as does a nil *Site).
type Site struct {
	client htmlizev1.SiteClient // nil when the host offers none
}

// Available tells whether the host offers the site.
func (s *Site) Available() bool {
	return s != nil && s.client != nil
}

// Pages returns every page, ordered by source path.
func (s *Site) Pages() ([]Post, error) {
	if !s.Available() {
		return nil, errNoSite
	}
	ctx, cancel := context.WithTimeout(context.Background(), SiteTimeout)
	defer cancel()
	answer, err := s.client.ListPages(ctx, &htmlizev1.ListPagesRequest{})
	if err != nil {
		return nil, fmt.Errorf("the host's site: ListPages: %w", err)
	}
	pages := make([]Post, len(answer.Pages))
	for i, page := range answer.Pages {
		pages[i] = *fromProto(page)
	}
	return pages, nil
}

// Page returns the page of a source path, relative to the source directory and '/'-separated (e.g. "docs/a.md"),
// and whether there is one.
func (s *Site) Page(sourcePath string) (Post, bool, error) {
	return s.get(&htmlizev1.GetPageRequest{Key: &htmlizev1.GetPageRequest_SourcePath{SourcePath: sourcePath}})
}

// PageByID returns the page with this ID (Post.ID), and whether there is one.
func (s *Site) PageByID(id int64) (Post, bool, error) {
	return s.get(&htmlizev1.GetPageRequest{Key: &htmlizev1.GetPageRequest_Id{Id: id}})
}

func (s *Site) get(request *htmlizev1.GetPageRequest) (Post, bool, error) {
	if !s.Available() {
		return Post{}, false, errNoSite
	}
	ctx, cancel := context.WithTimeout(context.Background(), SiteTimeout)
	defer cancel()
	answer, err := s.client.GetPage(ctx, request)
	if err != nil {
		return Post{}, false, fmt.Errorf("the host's site: GetPage: %w", err)
	}
	if !answer.Found {
		return Post{}, false, nil
	}
	return *fromProto(answer.Page), true, nil
}

// fromProto is a Post from the wire; a missing one is empty.
func fromProto(p *htmlizev1.Post) *Post {
	if p == nil {
		return &Post{}
	}
	return &Post{
		ID:         p.Id,
		Author:     p.Author,
		Title:      p.Title,
		SourcePath: p.SourcePath,
		OutputPath: p.OutputPath,
		Date:       p.Date,
		Tags:       p.Tags,
		Metadata:   p.Metadata,
	}
}

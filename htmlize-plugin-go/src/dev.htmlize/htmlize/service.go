package htmlize

import (
	"context"
	"strconv"

	htmlizev1 "dev.htmlize/htmlize/v1"
	hclog "github.com/hashicorp/go-hclog"
	plugin "github.com/hashicorp/go-plugin"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"
)

// RoleIndexKey is the trailing metadata key of a failed ProcessRoles or ProcessRole call that names the occurrence
// to blame: its index in the request, as decimal text. The host then reports that occurrence's line.
const RoleIndexKey = "htmlize-role-index"

// service is htmlize.v1.Htmlizer over the htmlizers. An error of the plugin's code becomes a gRPC error with its
// message (which the host reports with the plugin's name and the page), and a line in the log.
type service struct {
	htmlizev1.UnimplementedHtmlizerServer
	htmlizers *composite
	broker    *plugin.GRPCBroker // nil for none
	log       hclog.Logger
}

func (s *service) Hooks(context.Context, *htmlizev1.HooksRequest) (*htmlizev1.HooksResponse, error) {
	return &htmlizev1.HooksResponse{Hooks: s.htmlizers.hooks}, nil
}

func (s *service) Configure(ctx context.Context, req *htmlizev1.ConfigureRequest) (*htmlizev1.ConfigureResponse, error) {
	site, err := s.site(req.SiteBrokerId)
	if err != nil {
		return nil, s.fail(ctx, "Configure", &failure{err: err, index: -1})
	}
	if err := s.htmlizers.configure(req.Properties, site); err != nil {
		return nil, s.fail(ctx, "Configure", &failure{err: err, index: -1})
	}
	return &htmlizev1.ConfigureResponse{}, nil
}

func (s *service) ProcessRole(ctx context.Context, req *htmlizev1.ProcessRoleRequest) (*htmlizev1.ProcessRoleResponse, error) {
	html, f := s.htmlizers.processRoles(fromProto(req.Post), []RoleOccurrence{{Role: req.Role, Value: req.Value}})
	if f != nil {
		return nil, s.fail(ctx, "ProcessRole", f)
	}
	return &htmlizev1.ProcessRoleResponse{Html: html[0]}, nil
}

func (s *service) ProcessRoles(ctx context.Context, req *htmlizev1.ProcessRolesRequest) (*htmlizev1.ProcessRolesResponse, error) {
	html, f := s.htmlizers.processRoles(fromProto(req.Post), occurrences(req.Roles))
	if f != nil {
		return nil, s.fail(ctx, "ProcessRoles", f)
	}
	return &htmlizev1.ProcessRolesResponse{Html: html}, nil
}

func (s *service) ProcessContents(ctx context.Context, req *htmlizev1.ProcessContentsRequest) (*htmlizev1.ProcessContentsResponse, error) {
	html, err := s.htmlizers.processContents(req.Html, fromProto(req.Post))
	if err != nil {
		return nil, s.fail(ctx, "ProcessContents", &failure{err: err, index: -1})
	}
	return &htmlizev1.ProcessContentsResponse{Html: html}, nil
}

// ProcessRolesBatch renders each page in turn, as ProcessRoles does; a page that fails has its error in its result
// and the others go on.
func (s *service) ProcessRolesBatch(_ context.Context, req *htmlizev1.ProcessRolesBatchRequest) (*htmlizev1.ProcessRolesBatchResponse, error) {
	results := make([]*htmlizev1.ProcessRolesResult, len(req.Pages))
	for i, page := range req.Pages {
		html, f := s.htmlizers.processRoles(fromProto(page.Post), occurrences(page.Roles))
		if f != nil {
			results[i] = &htmlizev1.ProcessRolesResult{Result: &htmlizev1.ProcessRolesResult_Error{
				Error: s.pageError("ProcessRoles", f)}}
		} else {
			results[i] = &htmlizev1.ProcessRolesResult{Result: &htmlizev1.ProcessRolesResult_Response{
				Response: &htmlizev1.ProcessRolesResponse{Html: html}}}
		}
	}
	return &htmlizev1.ProcessRolesBatchResponse{Results: results}, nil
}

// ProcessContentsBatch transforms each page in turn, as ProcessContents does; a page that fails has its error in
// its result and the others go on.
func (s *service) ProcessContentsBatch(_ context.Context, req *htmlizev1.ProcessContentsBatchRequest) (*htmlizev1.ProcessContentsBatchResponse, error) {
	results := make([]*htmlizev1.ProcessContentsResult, len(req.Pages))
	for i, page := range req.Pages {
		html, err := s.htmlizers.processContents(page.Html, fromProto(page.Post))
		if err != nil {
			results[i] = &htmlizev1.ProcessContentsResult{Result: &htmlizev1.ProcessContentsResult_Error{
				Error: s.pageError("ProcessContents", &failure{err: err, index: -1})}}
		} else {
			results[i] = &htmlizev1.ProcessContentsResult{Result: &htmlizev1.ProcessContentsResult_Response{
				Response: &htmlizev1.ProcessContentsResponse{Html: html}}}
		}
	}
	return &htmlizev1.ProcessContentsBatchResponse{Results: results}, nil
}

// site dials the host's Site service when the host offers one and some htmlizer takes it.
func (s *service) site(brokerID uint32) (*Site, error) {
	if brokerID == 0 || s.broker == nil || !s.htmlizers.configurable() {
		return &Site{}, nil
	}
	conn, err := s.broker.Dial(brokerID)
	if err != nil {
		return nil, status.Errorf(codes.Internal, "cannot reach the host's Site service (broker id %d): %v",
			brokerID, err)
	}
	return &Site{client: htmlizev1.NewSiteClient(conn)}, nil
}

// fail logs a failed call and makes its gRPC error, with the occurrence's index in the trailer when one is blamed.
func (s *service) fail(ctx context.Context, method string, f *failure) error {
	code, message := s.logged(method, f)
	if f.index >= 0 {
		if err := grpc.SetTrailer(ctx, metadata.Pairs(RoleIndexKey, strconv.Itoa(f.index))); err != nil {
			s.log.Warn("cannot set the trailer "+RoleIndexKey, "error", err.Error())
		}
	}
	return status.Error(code, message)
}

// pageError logs a failed page of a batch and makes its PageError.
func (s *service) pageError(method string, f *failure) *htmlizev1.PageError {
	_, message := s.logged(method, f)
	e := &htmlizev1.PageError{Message: message}
	if f.index >= 0 {
		e.Occurrence = &htmlizev1.PageError_RoleIndex{RoleIndex: int32(f.index)}
	}
	return e
}

// logged logs a failure, a refused role at debug (the build reports it), anything else as an error; it returns
// the status code and message for the host.
func (s *service) logged(method string, f *failure) (codes.Code, string) {
	code, message := describe(f.err)
	switch err := f.err.(type) {
	case *panicError:
		s.log.Error(method+" failed", "error", message, "trace", string(err.stack))
	default:
		if isRoleError(err) {
			s.log.Debug(method+" refused a role", "error", message)
		} else {
			s.log.Error(method+" failed", "error", message)
		}
	}
	return code, message
}

// occurrences are a request's roles, as the htmlizers see them.
func occurrences(roles []*htmlizev1.RoleOccurrence) []RoleOccurrence {
	out := make([]RoleOccurrence, len(roles))
	for i, r := range roles {
		out[i] = RoleOccurrence{Role: r.Role, Value: r.Value, Line: int(r.Line)}
	}
	return out
}

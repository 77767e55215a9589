// Package pathfind answers "how is A connected to B": it loads the store's
// relation aggregates, reduced to ties, into a compact graph and finds the
// k best chains of ties between two entities, each hop with its evidence.
// The CLI's path command and the HTTP API share it.
//
// A tie's length is its doubt: 1 for an asserted tie, more for a hedged
// one, a little less for one more sources attest (see Weight). Denied ties
// are left out. The graph is undirected, since a chain of ties may run
// against a tie's direction ("ISI supports LeT, and TTP is hostile to
// ISI"); each hop keeps the tie's real direction for display.
package pathfind

import (
	"context"
	"errors"
	"iter"
	"math"
	"slices"

	"github.com/faultline-osint/faultline"
	"github.com/faultline-osint/faultline/graph"
)

// Store is what pathfind needs of a faultline.Store.
type Store interface {
	FindEntity(ctx context.Context, ref string) (*faultline.Entity, error)
	Ties(ctx context.Context, f faultline.TieFilter, fn func(faultline.Tie) error) error
	Relations(ctx context.Context, f faultline.RelationFilter) ([]faultline.Relation, error)
	Evidence(ctx context.Context, claimIDs []string) ([]faultline.ClaimEvidence, error)
}

// Weight is the length of a tie in a path search: 1 for an asserted tie,
// 1.2 for a reported one, 1.5 for an alleged or possible one; each source
// beyond the first takes 5% off, down to 80% at five sources or more. So a
// tie reported by five sources (0.96) is preferred to a lone assertion,
// but an alleged one (1.2 at best) never is. Denied ties have no length:
// they are not in the graph (ok is false).
func Weight(m faultline.Modality, sources int) (w float64, ok bool) {
	switch m {
	case faultline.Asserted:
		w = 1
	case faultline.Reported:
		w = 1.2
	case faultline.Alleged, faultline.Possible:
		w = 1.5
	default:
		return 0, false
	}
	extra := min(max(sources-1, 0), 4)
	return w * (1 - 0.05*float64(extra)), true
}

// tie is an edge's payload, 16 bytes: a million ties take 16 MB.
type tie struct {
	subject, object int32
	sources         int32
	predicate       uint8 // index in faultline.Predicates
	modality        uint8 // Modality.Strength
}

// Network is the graph of ties. It is immutable once loaded and safe for
// concurrent queries; reload it to see later changes to the store.
type Network struct {
	st    Store
	nodes Nodes
	ties  []tie // edge id → tie
	g     *graph.Graph
}

// Nodes names the nodes of a Network: entity ids numbered 0, 1, 2, ….
// Load numbers the entities with a tie in the order the store gives their
// ties; a caller that keeps its own table of entity ids can pass it to
// New rather than have the network hold a second one.
type Nodes interface {
	// Node returns the node of an entity id, if it has one.
	Node(id string) (int32, bool)
	// ID returns the entity id of a node.
	ID(node int32) string
	// Len returns the number of nodes, once the ties are all given.
	Len() int
}

// Load streams the store's ties into a Network. The filter narrows what is
// loaded; queries can narrow further by predicate.
func Load(ctx context.Context, st Store, f faultline.TieFilter) (*Network, error) {
	nodes := &idTable{index: map[string]int32{}}
	var err error
	// Entities are numbered as their ties arrive, ties going straight
	// into the network.
	ties := func(yield func(Tie) bool) {
		err = st.Ties(ctx, f, func(t faultline.Tie) error {
			if !Keeps(t.Predicate, t.Modality, t.Sources) || t.Subject == t.Object {
				return nil
			}
			if !yield(Tie{Subject: nodes.add(t.Subject), Object: nodes.add(t.Object), Predicate: t.Predicate,
				Modality: t.Modality, Sources: t.Sources}) {
				return errStop
			}
			return nil
		})
	}
	n := New(st, nodes, ties)
	if err != nil {
		return nil, err
	}
	return n, nil
}

// errStop ends a stream of ties early.
var errStop = errors.New("stop")

// Keeps reports whether a network has an edge for a tie of this
// predicate, modality and number of sources: not for a denied tie, nor
// for a predicate outside faultline.Predicates. Self-ties have none
// either.
func Keeps(p faultline.Predicate, m faultline.Modality, sources int) bool {
	_, ok := Weight(m, sources)
	return ok && slices.Contains(faultline.Predicates, p)
}

// Tie is a tie between two nodes, as New takes it.
type Tie struct {
	Subject, Object int32
	Predicate       faultline.Predicate
	Modality        faultline.Modality
	Sources         int
}

// New builds a Network over nodes from ties; ties that Keeps refuses and
// self-ties are left out. Edge ids, and so the order among equally good
// paths, follow the order of ties.
func New(st Store, nodes Nodes, ties iter.Seq[Tie]) *Network {
	n := &Network{st: st, nodes: nodes}
	for t := range ties {
		if !Keeps(t.Predicate, t.Modality, t.Sources) || t.Subject == t.Object {
			continue
		}
		n.ties = append(n.ties, tie{
			subject: t.Subject, object: t.Object, sources: int32(min(t.Sources, math.MaxInt32)),
			predicate: uint8(slices.Index(faultline.Predicates, t.Predicate)), modality: uint8(t.Modality.Strength()),
		})
	}
	n.ties = slices.Clip(n.ties)
	b := graph.NewBuilder(nodes.Len())
	for _, t := range n.ties {
		w, _ := Weight(faultline.ModalityOfStrength(int(t.modality)), int(t.sources))
		b.AddEdge(t.subject, t.object, w)
	}
	n.g = b.Build()
	return n
}

// idTable is the Nodes of a network that Load numbered.
type idTable struct {
	ids   []string         // node → entity id
	index map[string]int32 // entity id → node
}

func (t *idTable) add(id string) int32 {
	if k, ok := t.index[id]; ok {
		return k
	}
	k := int32(len(t.ids))
	t.ids = append(t.ids, id)
	t.index[id] = k
	return k
}

func (t *idTable) Node(id string) (int32, bool) {
	k, ok := t.index[id]
	return k, ok
}

func (t *idTable) ID(node int32) string { return t.ids[node] }

func (t *idTable) Len() int { return len(t.ids) }

// Nodes returns the number of nodes: for a network that Load built, the
// entities with at least one tie.
func (n *Network) Nodes() int { return n.nodes.Len() }

// Ties returns the number of ties loaded.
func (n *Network) Ties() int { return len(n.ties) }

// Query asks for the chains of ties between two entities.
type Query struct {
	// From and To are entity references, as FindEntity takes them.
	From, To string
	// K is how many paths to find (default 3); MaxHops bounds their
	// length in ties (default 4).
	K, MaxHops int
	// Predicates, when set, keeps paths to ties of these predicates.
	Predicates []faultline.Predicate
	// Evidence is how many evidence items to give per hop (default 1;
	// negative for none).
	Evidence int
}

// Defaults for a Query.
const (
	DefaultK       = 3
	DefaultMaxHops = 4
	// MaxK bounds K: each path costs a round of searches.
	MaxK = 50
)

// Result is the answer to a Query.
type Result struct {
	From  faultline.EntityRef `json:"from"`
	To    faultline.EntityRef `json:"to"`
	Paths []Path              `json:"paths"`
}

// Path is one chain of ties from Result.From to Result.To.
type Path struct {
	Cost float64 `json:"cost"`
	Hops []Hop   `json:"hops"`
}

// Hop is one tie of a path, walked From → To. The tie itself runs from
// Subject to Object, which may be against the walk.
type Hop struct {
	From      faultline.EntityRef `json:"from"`
	To        faultline.EntityRef `json:"to"`
	Subject   string              `json:"subject"`
	Predicate faultline.Predicate `json:"predicate"`
	Object    string              `json:"object"`
	// Forward is true when the walk follows the tie's direction (From is
	// the subject); for a symmetric predicate direction means nothing.
	Forward  bool                      `json:"forward"`
	Modality faultline.Modality        `json:"modality"`
	Sources  int                       `json:"sources"`
	Evidence []faultline.ClaimEvidence `json:"evidence"`
}

// Paths finds up to q.K chains of ties between two entities, cheapest
// first. Unknown or ambiguous entities fail as FindEntity does; the same
// entity at both ends, a bad predicate or bad bounds fail with EINVALID.
// Entities with no tie, or no chain within the bounds, give no paths.
func (n *Network) Paths(ctx context.Context, q Query) (*Result, error) {
	if q.K == 0 {
		q.K = DefaultK
	}
	if q.MaxHops == 0 {
		q.MaxHops = DefaultMaxHops
	}
	switch {
	case q.K < 1 || q.K > MaxK:
		return nil, faultline.Errorf(faultline.EINVALID, "path count %d: want 1 to %d", q.K, MaxK)
	case q.MaxHops < 1:
		return nil, faultline.Errorf(faultline.EINVALID, "max hops %d: want 1 or more", q.MaxHops)
	}
	var mask uint32
	for _, p := range q.Predicates {
		i := slices.Index(faultline.Predicates, p)
		if i < 0 {
			f := faultline.TieFilter{Predicates: q.Predicates}
			return nil, f.Validate()
		}
		mask |= 1 << i
	}
	from, err := n.st.FindEntity(ctx, q.From)
	if err != nil {
		return nil, err
	}
	to, err := n.st.FindEntity(ctx, q.To)
	if err != nil {
		return nil, err
	}
	if from.ID == to.ID {
		return nil, faultline.Errorf(faultline.EINVALID, "path from %q to %q: both name %s", q.From, q.To, from.Name)
	}
	res := &Result{From: ref(from), To: ref(to), Paths: []Path{}}
	src, ok1 := n.nodes.Node(from.ID)
	dst, ok2 := n.nodes.Node(to.ID)
	if !ok1 || !ok2 {
		return res, nil
	}
	opt := graph.Options{K: q.K, MaxHops: q.MaxHops}
	if mask != 0 {
		opt.Allow = func(e int32) bool { return mask>>n.ties[e].predicate&1 == 1 }
	}
	paths, err := n.g.ShortestPaths(ctx, src, dst, opt)
	if err != nil {
		return nil, err
	}
	refs := map[int32]faultline.EntityRef{src: res.From, dst: res.To}
	nodeRef := func(k int32) (faultline.EntityRef, error) {
		if r, ok := refs[k]; ok {
			return r, nil
		}
		e, err := n.st.FindEntity(ctx, n.nodes.ID(k))
		if err != nil {
			return faultline.EntityRef{}, err
		}
		refs[k] = ref(e)
		return refs[k], nil
	}
	for _, p := range paths {
		out := Path{Cost: math.Round(p.Cost*1000) / 1000, Hops: make([]Hop, 0, len(p.Edges))}
		for i, e := range p.Edges {
			t := n.ties[e]
			h := Hop{
				Subject: n.nodes.ID(t.subject), Predicate: faultline.Predicates[t.predicate], Object: n.nodes.ID(t.object),
				Forward: t.subject == p.Nodes[i], Modality: faultline.ModalityOfStrength(int(t.modality)), Sources: int(t.sources),
				Evidence: []faultline.ClaimEvidence{},
			}
			if h.From, err = nodeRef(p.Nodes[i]); err != nil {
				return nil, err
			}
			if h.To, err = nodeRef(p.Nodes[i+1]); err != nil {
				return nil, err
			}
			if h.Evidence, err = n.evidence(ctx, h, q.Evidence); err != nil {
				return nil, err
			}
			out.Hops = append(out.Hops, h)
		}
		res.Paths = append(res.Paths, out)
	}
	return res, nil
}

// evidence fetches up to limit evidence items for a hop's tie (1 when
// limit is 0, none when negative).
func (n *Network) evidence(ctx context.Context, h Hop, limit int) ([]faultline.ClaimEvidence, error) {
	if limit < 0 {
		return []faultline.ClaimEvidence{}, nil
	}
	limit = max(limit, 1)
	rels, err := n.st.Relations(ctx, faultline.RelationFilter{EntityID: h.Subject, OtherID: h.Object, Predicates: []faultline.Predicate{h.Predicate}})
	if err != nil {
		return nil, err
	}
	for _, r := range rels {
		if r.Subject.ID != h.Subject || r.Object.ID != h.Object {
			continue
		}
		ev, err := n.st.Evidence(ctx, r.ClaimIDs)
		if err != nil {
			return nil, err
		}
		if len(ev) > limit {
			ev = ev[:limit]
		}
		return ev, nil
	}
	return []faultline.ClaimEvidence{}, nil
}

func ref(e *faultline.Entity) faultline.EntityRef {
	return faultline.EntityRef{ID: e.ID, Name: e.Name, Type: e.Type, Lat: e.Lat, Lon: e.Lon}
}

// Package plugin runs the cognito-user-import Pulumi plugin and calls its UserImportJob
// resource over Pulumi's provider protocol: the Terraform provider translates Terraform's
// protocol onto these calls, and every rule of an import (the CSV's rules, splitting,
// resume, outcome, copy, the AWS settings) stays in the plugin's Python import service.
package plugin

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"time"

	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/types/known/emptypb"
	"google.golang.org/protobuf/types/known/structpb"
)

// JobType is the plugin's import-job resource, as Pulumi programs in any language declare it.
const JobType = "cognito-user-import:index:UserImportJob"

// PluginEnv names the plugin folder to run, when it is not the one the provider was built
// with (a clone's `plugin/`, or Pulumi's plugin cache after `pulumi plugin install`).
const PluginEnv = "COGNITO_USER_IMPORT_PLUGIN"

// ToolVariable tells the plugin which CLI its user runs (components/.../commands.py).
const ToolVariable = "COGNITO_USER_IMPORT_TOOL"

// caller is the CLI that started this provider: OpenTofu's `tofu`, else Terraform.
func caller() string {
	exe, err := os.Readlink(fmt.Sprintf("/proc/%d/exe", os.Getppid()))
	if err == nil && filepath.Base(exe) == "tofu" {
		return "tofu"
	}
	return "terraform"
}

// messageBytes is the gRPC message limit both ways, as the plugin's own server sets it.
const messageBytes = 400 * 1024 * 1024

// Plugin is one running plugin process and a client of its provider service.
type Plugin struct {
	cmd      *exec.Cmd
	conn     *grpc.ClientConn
	provider pulumirpc.ResourceProviderClient
	engine   *engine
	stderr   *lines
}

// Folder is the plugin folder the provider runs: PluginEnv, else the one it was built
// beside (set at build time), else Pulumi's plugin cache at the provider's version.
func Folder(builtWith, version string) (string, error) {
	if folder := os.Getenv(PluginEnv); folder != "" {
		return folder, nil
	}
	if builtWith != "" {
		return builtWith, nil
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return "", err
	}
	cached := filepath.Join(home, ".pulumi", "plugins", "resource-cognito-user-import-v"+version)
	if _, err := os.Stat(filepath.Join(cached, "PulumiPlugin.yaml")); err != nil {
		return "", fmt.Errorf(
			"no cognito-user-import plugin found: set %s to its folder, or run "+
				"`pulumi plugin install resource cognito-user-import v%s`", PluginEnv, version)
	}
	return cached, nil
}

// Start runs the plugin in `folder` as Pulumi runs it: the Python of the folder's virtualenv
// (made from its requirements.txt when missing, as Pulumi makes it), the folder, and the
// address of an engine (ours: it takes the plugin's log messages, and its being reachable
// tells the plugin its caller is alive).
func Start(ctx context.Context, folder string) (*Plugin, error) {
	python, err := virtualenv(ctx, folder)
	if err != nil {
		return nil, err
	}
	eng, address, err := serveEngine()
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(python, folder, address)
	// The plugin's messages name the user's commands: `terraform apply`, or `tofu apply`.
	cmd.Env = append(os.Environ(), ToolVariable+"="+caller())
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	stderr := &lines{}
	cmd.Stderr = stderr
	if err := cmd.Start(); err != nil {
		eng.stop()
		return nil, fmt.Errorf("could not start the cognito-user-import plugin in %s: %w", folder, err)
	}
	abandon := func() { // a plugin that did not come up: nothing of it is left running
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
		eng.stop()
	}
	port, err := firstLine(stdout, 5*time.Minute)
	if err != nil {
		abandon()
		return nil, fmt.Errorf("the cognito-user-import plugin in %s did not start: %s", folder, stderr.tail(err))
	}
	conn, err := grpc.NewClient("127.0.0.1:"+port,
		grpc.WithTransportCredentials(insecure.NewCredentials()),
		grpc.WithDefaultCallOptions(
			grpc.MaxCallRecvMsgSize(messageBytes), grpc.MaxCallSendMsgSize(messageBytes)))
	if err != nil {
		abandon()
		return nil, err
	}
	return &Plugin{cmd, conn, pulumirpc.NewResourceProviderClient(conn), eng, stderr}, nil
}

// Stop ends the plugin as the Pulumi engine does (SIGTERM: a wait in progress says which
// job it leaves), and the engine it was given.
func (p *Plugin) Stop() {
	_ = p.conn.Close()
	_ = p.cmd.Process.Signal(syscall.SIGTERM)
	done := make(chan struct{})
	go func() { _ = p.cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		_ = p.cmd.Process.Kill()
		<-done
	}
	p.engine.stop()
}

// Said is what the plugin has told its user (its stderr and its log messages) since the
// last call, oldest first; reading it empties it.
func (p *Plugin) Said() []string {
	return append(p.engine.said.take(), p.stderr.take()...)
}

func urn(name string) string {
	return "urn:pulumi:terraform::terraform::" + JobType + "::" + name
}

// Failure is a CheckFailure: an input (by its name, "" for none) and the reason.
type Failure struct {
	Property string
	Reason   string
}

// Check judges the inputs (the CSV against the pool, the settings) as `pulumi preview` does:
// the inputs with what check adds (the content's digest), and what breaks a rule.
func (p *Plugin) Check(ctx context.Context, name string, olds, news Properties) (Properties, []Failure, error) {
	wire, err := structs(olds, news)
	if err != nil {
		return nil, nil, err
	}
	resp, err := p.provider.Check(ctx, &pulumirpc.CheckRequest{Urn: urn(name), Olds: wire[0], News: wire[1]})
	if err != nil {
		return nil, nil, p.failed(err)
	}
	failures := make([]Failure, 0, len(resp.GetFailures()))
	for _, f := range resp.GetFailures() {
		failures = append(failures, Failure{f.GetProperty(), f.GetReason()})
	}
	return FromWire(resp.GetInputs()), failures, nil
}

// Diff is the plugin's own judgement of a change: whether there is one, and which inputs need
// a new job.
func (p *Plugin) Diff(ctx context.Context, name, id string, olds, news Properties) (bool, []string, error) {
	wire, err := structs(olds, news)
	if err != nil {
		return false, nil, err
	}
	resp, err := p.provider.Diff(ctx, &pulumirpc.DiffRequest{Urn: urn(name), Id: id, Olds: wire[0], News: wire[1]})
	if err != nil {
		return false, nil, p.failed(err)
	}
	return resp.GetChanges() == pulumirpc.DiffResponse_DIFF_SOME, resp.GetReplaces(), nil
}

// Create runs the import: creates, uploads, starts and waits as the inputs say. A cancelled
// `ctx` (Terraform's Ctrl-C) cancels the plugin's wait, which then says which job it leaves
// running; the next apply finishes the same import.
func (p *Plugin) Create(ctx context.Context, name string, props Properties) (string, Properties, error) {
	wire, err := structs(props)
	if err != nil {
		return "", nil, err
	}
	defer p.cancelOn(ctx)()
	resp, err := p.provider.Create(context.WithoutCancel(ctx),
		&pulumirpc.CreateRequest{Urn: urn(name), Properties: wire[0]})
	if err != nil {
		return "", nil, p.failed(err)
	}
	return resp.GetId(), FromWire(resp.GetProperties()), nil
}

// Read reads the job afresh: its outputs, and the inputs Cognito knows (read by id alone, as
// `terraform import` and the data source do). An empty id: the job is gone.
func (p *Plugin) Read(ctx context.Context, name, id string, props Properties) (string, Properties, Properties, error) {
	wire, err := structs(props)
	if err != nil {
		return "", nil, nil, err
	}
	resp, err := p.provider.Read(ctx,
		&pulumirpc.ReadRequest{Urn: urn(name), Id: id, Properties: wire[0], Inputs: wire[0]})
	if err != nil {
		return "", nil, nil, p.failed(err)
	}
	return resp.GetId(), FromWire(resp.GetProperties()), FromWire(resp.GetInputs()), nil
}

// Update records an in-place change, and goes on with an import asked now to start or wait.
func (p *Plugin) Update(ctx context.Context, name, id string, olds, news Properties) (Properties, error) {
	wire, err := structs(olds, news)
	if err != nil {
		return nil, err
	}
	defer p.cancelOn(ctx)()
	resp, err := p.provider.Update(context.WithoutCancel(ctx),
		&pulumirpc.UpdateRequest{Urn: urn(name), Id: id, Olds: wire[0], News: wire[1]})
	if err != nil {
		return nil, p.failed(err)
	}
	return FromWire(resp.GetProperties()), nil
}

// Delete stops a job still running and releases a finished one (Cognito deletes no job).
func (p *Plugin) Delete(ctx context.Context, name, id string, props Properties) error {
	wire, err := structs(props)
	if err != nil {
		return err
	}
	_, err = p.provider.Delete(ctx, &pulumirpc.DeleteRequest{Urn: urn(name), Id: id, Properties: wire[0]})
	if err != nil {
		return p.failed(err)
	}
	return nil
}

// structs is each properties on Pulumi's wire.
func structs(each ...Properties) ([]*structpb.Struct, error) {
	wire := make([]*structpb.Struct, 0, len(each))
	for _, props := range each {
		s, err := props.Struct()
		if err != nil {
			return nil, fmt.Errorf("could not give the attributes to the plugin: %w", err)
		}
		wire = append(wire, s)
	}
	return wire, nil
}

// cancelOn sends the plugin the engine's Cancel when ctx ends before the call does: the
// plugin's wait stops within a second and its call returns the one line saying which job it
// leaves running, which is the error Terraform shows.
func (p *Plugin) cancelOn(ctx context.Context) func() {
	done := make(chan struct{})
	go func() {
		select {
		case <-ctx.Done():
			_, _ = p.provider.Cancel(context.Background(), &emptypb.Empty{})
		case <-done:
		}
	}()
	return func() { close(done) }
}

// failed is the plugin's one-line message for a failed call; a plugin that cannot be
// reached (it died) says so, with its last words.
func (p *Plugin) failed(err error) error {
	if s, ok := status.FromError(err); ok && s.Code() != codes.Unavailable && s.Message() != "" {
		return errors.New(s.Message())
	}
	return fmt.Errorf("the cognito-user-import plugin stopped: %s", p.stderr.tail(err))
}

func firstLine(stdout interface{ Read([]byte) (int, error) }, within time.Duration) (string, error) {
	found := make(chan string, 1)
	go func() {
		scanner := bufio.NewScanner(stdout)
		if scanner.Scan() {
			found <- strings.TrimSpace(scanner.Text())
		}
		close(found)
	}()
	select {
	case port, ok := <-found:
		if !ok || port == "" {
			return "", errors.New("it printed no port")
		}
		return port, nil
	case <-time.After(within):
		return "", fmt.Errorf("it printed no port within %s", within)
	}
}

// lines keeps what a process writes, a line at a time.
type lines struct {
	mu      sync.Mutex
	partial strings.Builder
	kept    []string
}

func (l *lines) Write(b []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, c := range string(b) {
		if c == '\n' {
			l.kept = append(l.kept, l.partial.String())
			l.partial.Reset()
			continue
		}
		l.partial.WriteRune(c)
	}
	return len(b), nil
}

// add keeps one whole line (a log message).
func (l *lines) add(line string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.kept = append(l.kept, line)
}

func (l *lines) take() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	taken := l.kept
	l.kept = nil
	return taken
}

// tail is the process's last words, or err when it said nothing.
func (l *lines) tail(err error) string {
	said := l.take()
	if len(said) == 0 {
		return err.Error()
	}
	if len(said) > 20 {
		said = said[len(said)-20:]
	}
	return strings.Join(said, "\n")
}

// engine is the part of the Pulumi engine a provider plugin calls back: its log.
type engine struct {
	pulumirpc.UnimplementedEngineServer
	server *grpc.Server
	said   lines
}

func serveEngine() (*engine, string, error) {
	listener, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, "", err
	}
	eng := &engine{server: grpc.NewServer()}
	pulumirpc.RegisterEngineServer(eng.server, eng)
	go func() { _ = eng.server.Serve(listener) }()
	return eng, listener.Addr().String(), nil
}

func (e *engine) Log(_ context.Context, req *pulumirpc.LogRequest) (*emptypb.Empty, error) {
	e.said.add(req.GetMessage())
	return &emptypb.Empty{}, nil
}

func (e *engine) stop() { e.server.Stop() }

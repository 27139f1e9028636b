// uplosi-config-oracle prints how uplosi 0.4.0 itself reads configuration directories: the effective
// configuration of every variant, as JSON, one line per directory. podvm's differential test
// (UplosiMergeDifferentialTest) compares podvm's reading of the same directories with this one.
//
// It is built at install time (scripts/install-tools.d/uplosi.sh) against the pinned uplosi module, so
// the merging is uplosi's own code: config.ConfigFile.Merge, config.Config.Merge (mergo through
// uplosi's OptionTransformer), SetDefaults and Render. Only parseConfigFiles lives in uplosi's package
// main and cannot be imported; readConfigDir below is a copy of it (upload.go, v0.4.0).
//
// Usage: uplosi-config-oracle DIR...        one JSON line per DIR on stdout
//
//	uplosi-config-oracle --version    the uplosi, mergo and toml module versions it was built with
package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"reflect"
	"runtime/debug"
	"slices"
	"strings"

	"github.com/BurntSushi/toml"
	"github.com/edgelesssys/uplosi/config"
)

const (
	configName = "uplosi.conf"
	configDir  = "uplosi.conf.d"
)

type variantResult struct {
	Name string `json:"name"`
	// Merged is base merged with the variant, before defaults: what the user's files say.
	Merged map[string]any `json:"merged"`
	// Effective is after SetDefaults and Render (version file read, templates filled in).
	Effective   map[string]any `json:"effective"`
	RenderError string         `json:"renderError,omitempty"`
}

type dirResult struct {
	Dir      string          `json:"dir"`
	Error    string          `json:"error,omitempty"`
	Variants []variantResult `json:"variants"`
}

func main() {
	if len(os.Args) == 2 && os.Args[1] == "--version" {
		printVersions()
		return
	}
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: uplosi-config-oracle DIR... | --version")
		os.Exit(2)
	}
	start, err := os.Getwd()
	if err != nil {
		fatal(err)
	}
	out := json.NewEncoder(os.Stdout)
	for _, dir := range os.Args[1:] {
		// uplosi reads uplosi.conf.d/* and version files relative to its working directory, so the
		// oracle reads each directory as `uplosi upload` run inside it.
		abs := dir
		if !filepath.IsAbs(dir) {
			abs = filepath.Join(start, dir)
		}
		if err := os.Chdir(abs); err != nil {
			fatal(err)
		}
		if err := out.Encode(readDir(dir)); err != nil {
			fatal(err)
		}
	}
}

func readDir(dir string) dirResult {
	result := dirResult{Dir: dir, Variants: []variantResult{}}
	conf, err := readConfigDir(".")
	if err != nil {
		result.Error = err.Error()
		return result
	}
	names := []string{""}
	if len(conf.Variants) > 0 {
		names = names[:0]
		for name := range conf.Variants {
			names = append(names, name)
		}
		slices.Sort(names)
	}
	for _, name := range names {
		result.Variants = append(result.Variants, variant(conf, name))
	}
	return result
}

// variant repeats config.ConfigFile.RenderedVariant step by step, so that the merged configuration
// before defaults can be printed too; RenderedVariant itself gives the error uplosi would report.
func variant(conf *config.ConfigFile, name string) variantResult {
	var out config.Config
	must(out.Merge(conf.Base))
	must(out.Merge(conf.Variants[name]))
	merged := flatten(out)
	must(out.SetDefaults())
	renderErr := out.Render(os.ReadFile)
	if _, err := conf.RenderedVariant(os.ReadFile, name); (err == nil) != (renderErr == nil) {
		fatal(fmt.Errorf("the step-by-step rendering and RenderedVariant disagree: %v / %v", renderErr, err))
	}
	result := variantResult{Name: name, Merged: merged, Effective: flatten(out)}
	if renderErr != nil {
		result.RenderError = renderErr.Error()
	}
	return result
}

// readConfigDir is uplosi 0.4.0's parseConfigFiles (upload.go), unchanged but for its name and the
// error wrapping; note that it lists uplosi.conf.d in configPath but reads the files relative to the
// working directory.
func readConfigDir(configPath string) (*config.ConfigFile, error) {
	configLocation := path.Join(configPath, configName)
	configDirLocation := path.Join(configPath, configDir)

	var conf config.ConfigFile
	if err := readTOMLFile(configLocation, &conf); err != nil {
		return nil, fmt.Errorf("reading config: %w", err)
	}

	dirEntries, err := os.ReadDir(configDirLocation)
	if os.IsNotExist(err) {
		return &conf, nil
	}
	if err != nil {
		return nil, fmt.Errorf("reading config dir: %w", err)
	}
	for _, dirEntry := range dirEntries {
		var cfgOverlay config.ConfigFile
		if dirEntry.IsDir() {
			continue
		}
		if filepath.Ext(dirEntry.Name()) != ".conf" {
			continue
		}
		if err := readTOMLFile(filepath.Join(configDir, dirEntry.Name()), &cfgOverlay); err != nil {
			return nil, fmt.Errorf("reading config: %w", err)
		}
		if err := conf.Merge(cfgOverlay); err != nil {
			return nil, fmt.Errorf("merging config: %w", err)
		}
	}
	return &conf, nil
}

func readTOMLFile(path string, data any) error {
	configFile, err := os.OpenFile(path, os.O_RDONLY, os.ModeAppend)
	if err != nil {
		return fmt.Errorf("opening file: %w", err)
	}
	defer configFile.Close()
	if _, err := toml.NewDecoder(configFile).Decode(data); err != nil {
		return fmt.Errorf("decoding file: %w", err)
	}
	return nil
}

// flatten names every setting by its TOML keys ("aws.publish") and leaves out what uplosi treats as
// unset: empty strings, zero integers, empty lists and maps, and options that are None.
func flatten(c config.Config) map[string]any {
	out := map[string]any{}
	flattenStruct("", reflect.ValueOf(c), out)
	return out
}

func flattenStruct(prefix string, v reflect.Value, out map[string]any) {
	for i := 0; i < v.NumField(); i++ {
		field := v.Type().Field(i)
		key := prefix + strings.Split(field.Tag.Get("toml"), ",")[0]
		value := v.Field(i)
		switch {
		case value.Kind() == reflect.Struct && value.FieldByName("Valid").IsValid():
			if value.FieldByName("Valid").Bool() {
				out[key] = value.FieldByName("Val").Interface()
			}
		case value.Kind() == reflect.Struct:
			flattenStruct(key+".", value, out)
		case value.Kind() == reflect.String:
			if value.Len() > 0 {
				out[key] = value.String()
			}
		case value.Kind() == reflect.Int:
			if value.Int() != 0 {
				out[key] = value.Int()
			}
		case value.Kind() == reflect.Slice || value.Kind() == reflect.Map:
			if value.Len() > 0 {
				out[key] = value.Interface()
			}
		default:
			fatal(fmt.Errorf("the oracle does not know the kind of %s (%s)", key, value.Kind()))
		}
	}
}

func printVersions() {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		fatal(fmt.Errorf("no build information in the binary"))
	}
	for _, dep := range info.Deps {
		switch dep.Path {
		case "github.com/edgelesssys/uplosi", "dario.cat/mergo", "github.com/BurntSushi/toml":
			fmt.Printf("%s %s\n", dep.Path, dep.Version)
		}
	}
}

func must(err error) {
	if err != nil {
		fatal(err)
	}
}

func fatal(err error) {
	fmt.Fprintln(os.Stderr, "uplosi-config-oracle:", err)
	os.Exit(1)
}

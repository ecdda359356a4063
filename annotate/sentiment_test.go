package annotate

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/newsds/newsds/internal/testshared"
)

// TestRegenerateModels rewrites the shipped model files from the shared data when
// NEWSDS_TRAIN_MODELS=1 (the same as `newsds train sentiment|stance --out ...`), and
// prints the training reports. It is skipped in ordinary runs.
func TestRegenerateModels(t *testing.T) {
	if os.Getenv("NEWSDS_TRAIN_MODELS") != "1" {
		t.Skip("set NEWSDS_TRAIN_MODELS=1 to retrain annotate/models/*.lm")
	}
	data := testshared.Path(t, "data")
	for name, trainFn := range map[string]func(context.Context, TrainOptions) (TrainReport, error){
		"sentiment": TrainSentiment, "stance": TrainStance,
	} {
		rep, err := trainFn(context.Background(), TrainOptions{Data: data, Out: filepath.Join("models", name+".lm")})
		if err != nil {
			t.Fatal(err)
		}
		b, _ := json.MarshalIndent(rep, "", "  ")
		t.Logf("%s", b)
	}
}

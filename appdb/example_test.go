package appdb_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"

	"github.com/retortdb/retort/appdb"
)

func ExampleManager_Sync() {
	type Note struct {
		ID   int64  `db:"id,pk"`
		Text string `db:"text"`
	}
	ctx := context.Background()
	m, err := appdb.Open(ctx, appdb.Config{URL: "sqlite://", Migrations: migrations(1), Models: []any{Note{}}})
	if err != nil {
		panic(err)
	}
	defer m.Close()

	st, _ := m.Status(ctx)
	fmt.Println(st.State, st.Latest)
	res, err := m.Sync(ctx)
	fmt.Println(res.Message(), err)
	st, _ = m.Status(ctx)
	fmt.Println(st.State, st.Current)

	n := Note{Text: "hello"}
	err = appdb.Insert(ctx, m.DB(), &n)
	fmt.Println(n.ID, err)

	rec := httptest.NewRecorder()
	appdb.HealthHandler(m).ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/healthz", nil))
	fmt.Print(rec.Code, " ", rec.Body.String())
	// Output:
	// no_version_table [aaaa1111]
	// Database created. <nil>
	// up_to_date [aaaa1111]
	// 1 <nil>
	// 200 {"status":"up_to_date","current":["aaaa1111"],"latest":["aaaa1111"]}
}

package main

import (
	"encoding/json"
	"errors"
	"net/http"
	"strconv"

	"github.com/retortdb/retort/appdb"
)

// newHandler routes the service: /healthz outside any transaction, the
// customer API inside the per-request transaction.
func newHandler(m *appdb.Manager) http.Handler {
	mux := http.NewServeMux()
	mux.Handle("GET /healthz", appdb.HealthHandler(m))
	api := http.NewServeMux()
	api.HandleFunc("POST /customers", createCustomer)
	api.HandleFunc("PUT /customers/{email}", putCustomer)
	api.HandleFunc("GET /customers/{id}", getCustomer)
	api.HandleFunc("GET /customers", findCustomer)
	mux.Handle("/customers", m.Middleware(api))
	mux.Handle("/customers/", m.Middleware(api))
	return mux
}

func writeJSON(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	_ = json.NewEncoder(w).Encode(v)
}

func writeError(w http.ResponseWriter, err error) {
	code := http.StatusInternalServerError
	switch {
	case errors.Is(err, appdb.ErrNotFound):
		code = http.StatusNotFound
	case errors.Is(err, errBadRequest):
		code = http.StatusBadRequest
	}
	writeJSON(w, code, map[string]string{"error": err.Error()})
}

var errBadRequest = errors.New("bad request")

// decode reads a customer from the body; email and name are required.
func decode(r *http.Request) (Customer, error) {
	var c Customer
	if err := json.NewDecoder(r.Body).Decode(&c); err != nil {
		return c, errors.Join(errBadRequest, err)
	}
	if c.Email == "" || c.Name == "" {
		return c, errors.Join(errBadRequest, errors.New("email and name are required"))
	}
	c.ID = 0
	return c, nil
}

// createCustomer is get-or-create by email: 201 with the new customer,
// or 200 with the one that has the address already.
func createCustomer(w http.ResponseWriter, r *http.Request) {
	c, err := decode(r)
	if err != nil {
		writeError(w, err)
		return
	}
	created, err := appdb.GetOrCreate(r.Context(), appdb.Tx(r.Context()), &c, "email")
	if err != nil {
		writeError(w, err)
		return
	}
	code := http.StatusOK
	if created {
		code = http.StatusCreated
	}
	writeJSON(w, code, c)
}

// putCustomer is update-or-create by email.
func putCustomer(w http.ResponseWriter, r *http.Request) {
	c, err := decode(r)
	if err != nil {
		writeError(w, err)
		return
	}
	c.Email = r.PathValue("email")
	created, err := appdb.UpdateOrCreate(r.Context(), appdb.Tx(r.Context()), &c, "email")
	if err != nil {
		writeError(w, err)
		return
	}
	code := http.StatusOK
	if created {
		code = http.StatusCreated
	}
	writeJSON(w, code, c)
}

func getCustomer(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		writeError(w, errors.Join(errBadRequest, err))
		return
	}
	c, err := appdb.GetByPK[Customer](r.Context(), appdb.Tx(r.Context()), id)
	if err != nil {
		writeError(w, err)
		return
	}
	writeJSON(w, http.StatusOK, c)
}

// findCustomer is GET /customers?email=ADDRESS.
func findCustomer(w http.ResponseWriter, r *http.Request) {
	c, err := appdb.Get[Customer](r.Context(), appdb.Tx(r.Context()), appdb.Eq("email", r.URL.Query().Get("email")))
	if err != nil {
		writeError(w, err)
		return
	}
	writeJSON(w, http.StatusOK, c)
}

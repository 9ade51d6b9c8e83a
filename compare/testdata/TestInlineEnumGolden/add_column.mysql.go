if err := op.Run(ops.AddColumn{
Table: "customer",
Column: schema.ColumnDef{Name: "mood", Type: schema.EnumOf("sad", "ok"), Nullable: true},
}); err != nil {
return err
}
return nil

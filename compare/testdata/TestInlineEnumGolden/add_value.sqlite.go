if err := op.Run(ops.AddColumn{
Table: "person",
Column: schema.ColumnDef{Name: "again", Type: schema.EnumType("mood"), Nullable: true},
}); err != nil {
return err
}
return nil

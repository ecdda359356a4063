// Package spark holds the Spark job's end-to-end test (spark_test.go); the job itself
// is the PySpark driver newsds_spark.py, documented in docs/spark.md.
package spark
